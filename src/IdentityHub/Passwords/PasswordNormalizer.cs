using System.Text;

namespace IdentityHub.Passwords;

/// <summary>INTERIM.</summary>
public static class PasswordNormalizer
{
    public static string Normalize(string password)
    {
        try { return password.Normalize(NormalizationForm.FormKC); } catch (ArgumentException) { return password; }
    }
}
