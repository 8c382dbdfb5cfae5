using IdentityHub.Notifications;
using IdentityHub.SharedSignals;

namespace IdentityHub.PasswordChanges;

/// <summary>
/// What a committed password change tells the outside, for <see cref="PasswordChangeCommit"/>: the user's email
/// (rendered before the transaction), the CAEP <c>credential-change</c> SETs of the tenant's streams (queued inside
/// it), and the outbox's wake-up once it commits.
/// </summary>
public sealed record PasswordChangeNotices(PasswordChangedNotifier Email, SecurityEventQueue Signals, OutboxSignal Outbox);
