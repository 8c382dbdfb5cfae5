using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityHub.Web.Connect;

/// <summary>
/// The writes of one token response (the redemption of the code or refresh token, then one row per token issued) in
/// one database transaction with one commit: a refresh either rotates fully or changes nothing, and it waits for one
/// fsync instead of one per write. The transaction begins just before the redemption (<see cref="RedeemOnce"/>), after
/// the request's reads, and commits after the last sign-in handler, before the response is written. A sign-in refused
/// on the way (<see cref="ProcessErrorContext"/>) rolls it back at once, an exception at the end of the request's scope.
/// On SQLite, <c>BeginTransaction</c> is <c>BEGIN IMMEDIATE</c>: the write lock is taken at the start, so the
/// redemption's conditional update reads the latest committed row. On PostgreSQL (READ COMMITTED) the update waits
/// for a concurrent redemption's row lock and re-checks its condition after that commit.
/// Only the grants that write rows take part (code, refresh token, password); client credentials write none.
/// On SQLite the transactions of one host also queue on <see cref="SqliteGate"/> first: SQLite's busy handler waits
/// by blocking the thread and polling with sleeps of up to 100 ms: with 32 concurrent refreshes waiting in
/// <c>BEGIN IMMEDIATE</c> for a lock held across the token generation, refresh fell to 14–26/s at 17 ms of CPU each
/// (docs/benchmarks.md); queued asynchronously, one at a time, they block no thread.
/// </summary>
internal sealed class TokenResponseTransaction(IdentityHubDbContext db, IOptions<DatabaseOptions> database, TokenResponseTransaction.SqliteGate gate)
    : IAsyncDisposable
{
    private IDbContextTransaction? open;
    private bool gated;

    /// <summary>The handlers: begin before <see cref="RedeemOnce"/>, commit after the last sign-in handler, roll back on a refusal.</summary>
    public static IEnumerable<OpenIddictServerHandlerDescriptor> Descriptors { get; } =
    [
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseScopedHandler<Begin>()
            .SetOrder(RedeemOnce.Descriptor.Order - 100)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        // After the last built-in sign-in handler (every token and its row exist: AttachCustomSignInParameters is ordered
        // earlier than the token generation), before the response handlers (ApplyTokenResponse, order 500,000) write it.
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseScopedHandler<Commit>()
            .SetOrder(OpenIddictServerHandlers.AttachSignInParameters.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessErrorContext>()
            .UseScopedHandler<RollBack>()
            .SetOrder(int.MinValue + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
    ];

    private async ValueTask BeginAsync(ProcessSignInContext context)
    {
        if (open is null && db.Database.CurrentTransaction is null && context.EndpointType == OpenIddictServerEndpointType.Token &&
            (context.Request.IsAuthorizationCodeGrantType() || context.Request.IsRefreshTokenGrantType() || context.Request.IsPasswordGrantType()))
        {
            if (database.Value.Provider == DatabaseProvider.Sqlite)
            {
                await gate.Semaphore.WaitAsync(context.CancellationToken);
                gated = true;
            }
            open = await db.Database.BeginTransactionAsync(context.CancellationToken);
            // Every write here is undone together on a failure, so a savepoint around each SaveChanges (two more
            // statements per token row) would buy nothing.
            db.Database.AutoSavepointsEnabled = false;
        }
    }

    private async ValueTask EndAsync(bool commit, CancellationToken cancellationToken)
    {
        try
        {
            if (open is not { } transaction)
            {
                return;
            }
            open = null;
            db.Database.AutoSavepointsEnabled = true;
            await using (transaction)
            {
                if (commit)
                {
                    await transaction.CommitAsync(cancellationToken);
                }
            }
        }
        finally
        {
            if (gated)
            {
                gated = false;
                gate.Semaphore.Release();
            }
        }
    }

    /// <summary>One SQLite token-response transaction at a time in this host (a singleton).</summary>
    internal sealed class SqliteGate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);
    }

    /// <summary>An exception on the way: the scope ends with the transaction still open, and it is rolled back here.</summary>
    public ValueTask DisposeAsync() => EndAsync(commit: false, CancellationToken.None);

    internal sealed class Begin(TokenResponseTransaction state) : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public ValueTask HandleAsync(ProcessSignInContext context) => state.BeginAsync(context);
    }

    internal sealed class Commit(TokenResponseTransaction state) : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public ValueTask HandleAsync(ProcessSignInContext context) => state.EndAsync(commit: true, context.CancellationToken);
    }

    internal sealed class RollBack(TokenResponseTransaction state) : IOpenIddictServerHandler<ProcessErrorContext>
    {
        // Disposing an uncommitted transaction rolls it back.
        public ValueTask HandleAsync(ProcessErrorContext context) => state.EndAsync(commit: false, context.CancellationToken);
    }
}
