namespace IdentityHub.PasswordChanges;

/// <summary>A receipt with its deliveries, in the order they were written.</summary>
public sealed record PasswordChangeReceiptView(PasswordChangeReceipt Receipt, IReadOnlyList<ReceiptDelivery> Deliveries);
