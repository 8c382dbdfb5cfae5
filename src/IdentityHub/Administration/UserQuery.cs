namespace IdentityHub.Administration;

/// <summary>One page of a tenant's users, optionally only those whose email contains <see cref="Email"/> (any letter case).</summary>
public sealed record UserQuery(string? Email, int Page = 1, int Size = UserQuery.DefaultSize)
{
    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultSize = 20;

    /// <summary>The largest page.</summary>
    public const int MaxSize = 100;

    /// <summary>The last page number accepted (pages are counted from 1).</summary>
    public const int MaxPage = 100_000;
}

/// <summary>A page of results and how many there are in all.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int Size, int Total);
