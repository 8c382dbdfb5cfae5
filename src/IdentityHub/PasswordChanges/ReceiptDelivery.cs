namespace IdentityHub.PasswordChanges;

/// <summary>One delivery a password change caused, as its receipt shows it: an outbox row carrying the receipt's id.</summary>
/// <param name="Kind"><see cref="ReceiptDeliveries.Email"/>, <see cref="ReceiptDeliveries.BackchannelLogout"/>, <see cref="ReceiptDeliveries.SecurityEvent"/>, or another outbox kind as stored.</param>
/// <param name="Recipient">The email address, the relying party's <c>client_id</c>, or the Shared Signals stream's id.</param>
/// <param name="Status"><see cref="ReceiptDeliveries.Pending"/>, <see cref="ReceiptDeliveries.Delivered"/> or <see cref="ReceiptDeliveries.Failed"/>.</param>
/// <param name="DeliveredAt">When it was accepted (UTC), once delivered.</param>
/// <param name="HttpStatus">The receiver's last HTTP status, when it answered one.</param>
/// <param name="Error">The last delivery error as stored (exception type and message, truncated; never a token).</param>
/// <param name="Attempts">Delivery attempts so far.</param>
public sealed record ReceiptDelivery(string Kind, string Recipient, string Status, DateTime? DeliveredAt, int? HttpStatus, string? Error, int Attempts);
