namespace IdentityHub.Notifications;

/// <summary>An email as rendered from its templates.</summary>
/// <param name="Subject">Localized subject.</param>
/// <param name="HtmlBody">HTML part.</param>
/// <param name="TextBody">Plain-text part.</param>
public sealed record RenderedEmail(string Subject, string HtmlBody, string TextBody);
