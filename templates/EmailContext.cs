namespace IdentityHub.Templates;

/// <summary>Passed to every email component: the HTML component sets the subject, so all wording lives in templates.</summary>
public sealed class EmailContext
{
    /// <summary>The localized subject, set by the HTML component while it renders.</summary>
    public string Subject { get; set; } = "";
}
