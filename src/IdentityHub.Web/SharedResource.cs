namespace IdentityHub.Web;

/// <summary>
/// Marker for the pages' texts, in <c>Resources/SharedResource.&lt;culture&gt;.resx</c> (one file per language, so a
/// translator edits one file). Keys never change; values are the localized text.
/// </summary>
public sealed class SharedResource;
