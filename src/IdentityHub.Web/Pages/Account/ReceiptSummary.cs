using IdentityHub.PasswordChanges;

namespace IdentityHub.Web.Pages.Account;

/// <summary>
/// What the change-password page says about a change's receipt, as it stands when the page renders: the devices
/// signed out, and the applications (relying parties told by a back-channel delivery) notified, still being notified,
/// or that could not be. An application with several sessions counts once, by its worst delivery.
/// </summary>
public sealed record ReceiptSummary(Guid Id, int SessionsEnded, int Notified, int Pending, int Failed)
{
    public static ReceiptSummary From(PasswordChangeReceiptView view)
    {
        var applications = view.Deliveries
            .Where(d => d.Kind != ReceiptDeliveries.Email)
            .GroupBy(d => d.Recipient, StringComparer.Ordinal)
            .Select(g => g.Any(d => d.Status == ReceiptDeliveries.Failed) ? ReceiptDeliveries.Failed
                : g.Any(d => d.Status == ReceiptDeliveries.Pending) ? ReceiptDeliveries.Pending
                : ReceiptDeliveries.Delivered)
            .ToList();
        return new ReceiptSummary(view.Receipt.Id, view.Receipt.SessionsEnded,
            applications.Count(s => s == ReceiptDeliveries.Delivered), applications.Count(s => s == ReceiptDeliveries.Pending),
            applications.Count(s => s == ReceiptDeliveries.Failed));
    }

    /// <summary>The resource keys of the sentences to show with their count: the devices always, each kind of application when there is one.</summary>
    public IEnumerable<(string Key, int Count)> Lines()
    {
        yield return (SessionsEnded == 0 ? "Receipt_Sessions_0" : Key("Receipt_Sessions", SessionsEnded), SessionsEnded);
        foreach (var (stem, count) in new[] { ("Receipt_Notified", Notified), ("Receipt_Pending", Pending), ("Receipt_Failed", Failed) })
        {
            if (count > 0)
            {
                yield return (Key(stem, count), count);
            }
        }
    }

    private static string Key(string stem, int count) => count == 1 ? stem + "_1" : stem + "_n";
}
