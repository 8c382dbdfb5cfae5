using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Notifications;
using IdentityHub.Passwords;
using IdentityHub.Sessions;
using IdentityHub.StepUp;
using IdentityHub.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Persistence;

/// <summary>
/// The one database of IdentityHub: Identity's tables, OpenIddict's tables (registered by <c>UseOpenIddict()</c>
/// at configuration time), ASP.NET Core Data Protection's keys and our own tenants, sessions and audit events.
/// </summary>
public sealed class IdentityHubDbContext(DbContextOptions<IdentityHubDbContext> options)
    : IdentityDbContext<HubUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>
    /// ASP.NET Core Data Protection keys (they protect the session and antiforgery cookies): kept here so that a
    /// restart, or a second instance on the same database, reads what the first one wrote.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Tenants.</summary>
    public DbSet<Tenant> Tenants => Set<Tenant>();

    /// <summary>Sign-in sessions.</summary>
    public DbSet<HubSession> Sessions => Set<HubSession>();

    /// <summary>The clients that received tokens of each session (the relying parties back-channel logout notifies).</summary>
    public DbSet<SessionClient> SessionClients => Set<SessionClient>();

    /// <summary>Security events.</summary>
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    /// <summary>Fingerprints of users' recent passwords.</summary>
    public DbSet<PasswordHistoryEntry> PasswordHistory => Set<PasswordHistoryEntry>();

    /// <summary>Emails waiting to be sent, and their final states.</summary>
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    /// <summary>Shared Signals event streams: what each receiver asked to be told, and how.</summary>
    public DbSet<SharedSignals.SecurityEventStream> SecurityEventStreams => Set<SharedSignals.SecurityEventStream>();

    /// <summary>Step-up tokens already used by a password change.</summary>
    public DbSet<ConsumedStepUpToken> ConsumedStepUpTokens => Set<ConsumedStepUpToken>();

    /// <summary>The seed last applied (one row).</summary>
    public DbSet<AppliedSeed> AppliedSeeds => Set<AppliedSeed>();

    /// <summary>Leases on cluster-wide jobs: which instance runs each, until when.</summary>
    public DbSet<JobLease> JobLeases => Set<JobLease>();

    /// <summary>What each successful password change did (sessions and tokens ended; its deliveries are outbox rows).</summary>
    public DbSet<PasswordChanges.PasswordChangeReceipt> PasswordChangeReceipts => Set<PasswordChanges.PasswordChangeReceipt>();

    /// <summary>The latest password-reset request per email and tenant.</summary>
    public DbSet<PasswordResets.PasswordResetTicket> PasswordResetTickets => Set<PasswordResets.PasswordResetTicket>();

    /// <summary>
    /// Marks a reset link's ticket used, when it still names <paramref name="requestId"/>, is unused and unexpired: one
    /// conditional update, so of two racing uses of one link only one gets true.
    /// </summary>
    public async Task<bool> TryUsePasswordResetTicketAsync(string key, Guid requestId, DateTime now, CancellationToken cancellationToken = default) =>
        await PasswordResetTickets
            .Where(t => t.Key == key && t.RequestId == requestId && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(update => update.SetProperty(t => t.UsedAt, now), cancellationToken) == 1;

    /// <summary>Whether a password change already used the step-up token with this <c>jti</c>.</summary>
    public Task<bool> IsStepUpTokenConsumedAsync(string tokenId, CancellationToken cancellationToken = default) =>
        ConsumedStepUpTokens.AsNoTracking().AnyAsync(t => t.TokenId == tokenId, cancellationToken);

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        ConfigureAccounts(builder);
        ConfigureRecords(builder);
        ConfigureSignals(builder);
    }

    /// <summary>Tenants, users, their sessions and password history.</summary>
    private static void ConfigureAccounts(ModelBuilder builder)
    {
        builder.Entity<Tenant>(tenant =>
        {
            tenant.ToTable("Tenants");
            tenant.Property(t => t.Name).HasMaxLength(200).IsRequired();
            tenant.Property(t => t.DefaultLocale).HasMaxLength(35).IsRequired();
            tenant.Property(t => t.Attributes).HasConversion(JsonColumn.Converter<Dictionary<string, string>>(), JsonColumn.Comparer<Dictionary<string, string>>());
            tenant.Property(t => t.PasswordPolicy).HasConversion(JsonColumn.Converter<PasswordPolicyOptions>(), JsonColumn.Comparer<PasswordPolicyOptions>());
        });

        builder.Entity<HubUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.Locale).HasMaxLength(35);
            user.HasIndex(u => new { u.TenantId, u.NormalizedEmail }).IsUnique();
            user.HasOne<Tenant>().WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<HubSession>(session =>
        {
            session.ToTable("Sessions");
            session.Property(s => s.Id).HasMaxLength(64);
            session.Property(s => s.ClientId).HasMaxLength(200);
            session.Property(s => s.SecurityStamp).HasMaxLength(256);
            session.Property(s => s.IpAddress).HasMaxLength(64);
            session.Property(s => s.UserAgent).HasMaxLength(HubSession.MaxUserAgentLength);
            session.HasIndex(s => s.UserId);
        });

        builder.Entity<SessionClient>(client =>
        {
            client.ToTable("SessionClients");
            client.HasKey(c => new { c.SessionId, c.ClientId });
            client.Property(c => c.SessionId).HasMaxLength(64);
            client.Property(c => c.ClientId).HasMaxLength(200);
            client.Property(c => c.Issuer).HasMaxLength(500).IsRequired();
            client.HasOne<HubSession>().WithMany().HasForeignKey(c => c.SessionId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PasswordHistoryEntry>(entry =>
        {
            entry.ToTable("PasswordHistory");
            entry.Property(e => e.Fingerprint).HasMaxLength(64).IsRequired();
            entry.HasIndex(e => new { e.UserId, e.Id });
        });
    }

    /// <summary>What actions leave behind: outbox messages, consumed step-up tokens, audit events.</summary>
    private static void ConfigureRecords(ModelBuilder builder)
    {
        builder.Entity<OutboxMessage>(message =>
        {
            message.ToTable("Outbox");
            message.Property(m => m.Kind).HasMaxLength(50).IsRequired();
            message.Property(m => m.ToAddress).HasMaxLength(256).IsRequired();
            message.Property(m => m.ToName).HasMaxLength(200);
            message.Property(m => m.Culture).HasMaxLength(35);
            message.Property(m => m.Subject).HasMaxLength(500);
            message.Property(m => m.LastError).HasMaxLength(500);
            message.Property(m => m.LeaseOwner).HasMaxLength(64);
            message.Property(m => m.Destination).HasMaxLength(2000);
            message.HasIndex(m => new { m.Status, m.NextAttemptAt });
            message.HasIndex(m => m.ReceiptId);
        });

        builder.Entity<ConsumedStepUpToken>(consumed =>
        {
            consumed.ToTable("ConsumedStepUpTokens");
            consumed.HasKey(c => c.TokenId);
            consumed.Property(c => c.TokenId).HasMaxLength(64);
        });

        builder.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("AuditEvents");
            audit.Property(a => a.Type).HasMaxLength(50).IsRequired();
            audit.Property(a => a.ClientId).HasMaxLength(200);
            audit.Property(a => a.IpAddress).HasMaxLength(64);
            audit.Property(a => a.UserAgent).HasMaxLength(256);
            audit.Property(a => a.SessionId).HasMaxLength(64);
            audit.HasIndex(a => new { a.UserId, a.OccurredAt });
        });

        builder.Entity<AppliedSeed>(seed =>
        {
            seed.ToTable("AppliedSeed");
            seed.Property(s => s.Id).ValueGeneratedNever();
            seed.Property(s => s.Fingerprint).HasMaxLength(64).IsRequired();
        });

        builder.Entity<PasswordResets.PasswordResetTicket>(ticket =>
        {
            ticket.ToTable("PasswordResetTickets");
            ticket.HasKey(t => t.Key);
            ticket.Property(t => t.Key).HasMaxLength(64);
            ticket.HasIndex(t => t.ExpiresAt);
        });

        builder.Entity<JobLease>(lease =>
        {
            lease.ToTable("JobLeases");
            lease.HasKey(l => l.Name);
            lease.Property(l => l.Name).HasMaxLength(64);
            lease.Property(l => l.Owner).HasMaxLength(64).IsRequired();
        });
    }

    /// <summary>What a password change tells others, and its account of that: receipts and Shared Signals streams.</summary>
    private static void ConfigureSignals(ModelBuilder builder)
    {
        builder.Entity<PasswordChanges.PasswordChangeReceipt>(receipt =>
        {
            receipt.ToTable("PasswordChangeReceipts");
            receipt.Property(r => r.Id).ValueGeneratedNever();
            receipt.Property(r => r.Initiator).HasMaxLength(16).IsRequired();
            receipt.Property(r => r.Channel).HasMaxLength(32).IsRequired();
            receipt.HasIndex(r => new { r.UserId, r.ChangedAt });
        });

        builder.Entity<SharedSignals.SecurityEventStream>(stream =>
        {
            stream.ToTable("SecurityEventStreams");
            stream.Property(s => s.ClientId).HasMaxLength(200).IsRequired();
            stream.Property(s => s.Issuer).HasMaxLength(500).IsRequired();
            stream.Property(s => s.DeliveryMethod).HasMaxLength(50).IsRequired();
            stream.Property(s => s.EndpointUrl).HasMaxLength(2000);
            stream.Property(s => s.AuthorizationHeader).HasMaxLength(2000);
            stream.Property(s => s.EventsRequested).HasConversion(JsonColumn.Converter<List<string>>(), JsonColumn.Comparer<List<string>>());
            stream.Property(s => s.Format).HasMaxLength(20).IsRequired();
            stream.Property(s => s.OpaqueKey).HasMaxLength(32).IsRequired();
            stream.Property(s => s.Description).HasMaxLength(500);
            stream.Property(s => s.Status).HasMaxLength(20).IsRequired();
            stream.Property(s => s.StatusReason).HasMaxLength(500);
            stream.HasIndex(s => s.ClientId);
            stream.HasIndex(s => s.TenantId);
        });
    }
}
