// Cost of the two password hashes every change must pay (verify the current password, hash the new one), with the
// same primitive ASP.NET Core Identity uses (PBKDF2-HMAC-SHA512, 32-byte subkey). Run: dotnet run bench/hash_cost.cs [iterations]
using System.Diagnostics;
using System.Security.Cryptography;

var iterations = args.Length > 0 ? int.Parse(args[0]) : 210_000;
var salt = RandomNumberGenerator.GetBytes(16);
Rfc2898DeriveBytes.Pbkdf2("warm-up", salt, iterations, HashAlgorithmName.SHA512, 32);
const int Runs = 20;
var watch = Stopwatch.StartNew();
for (var i = 0; i < Runs; i++)
{
    Rfc2898DeriveBytes.Pbkdf2("Correct-Horse-Battery-9", salt, iterations, HashAlgorithmName.SHA512, 32);
}
Console.WriteLine($"RESULT pbkdf2_sha512_iterations={iterations} one_hash_ms={watch.Elapsed.TotalMilliseconds / Runs:F1} two_hashes_ms={watch.Elapsed.TotalMilliseconds / Runs * 2:F1}");
