namespace IdentityHub.Cedar;

/// <summary>
/// Thrown when policy text is not valid Cedar (or uses a construct this implementation deliberately omits, such as
/// templates or extension functions). <see cref="Line"/> and <see cref="Column"/> let an editor or API client point at
/// the problem; the message already ends with <c>at line:column</c>.
/// </summary>
public sealed class CedarParseException : Exception
{
    /// <summary>Creates the exception for a problem found at a 1-based line and column.</summary>
    public CedarParseException(string reason, int line, int column)
        : base($"{reason} at {line}:{column}")
    {
        Reason = reason;
        Line = line;
        Column = column;
    }

    /// <summary>The problem without the position suffix, for callers that format the position themselves.</summary>
    public string Reason { get; }

    /// <summary>1-based line of the offending token.</summary>
    public int Line { get; }

    /// <summary>1-based column (in UTF-16 code units) of the offending token.</summary>
    public int Column { get; }
}
