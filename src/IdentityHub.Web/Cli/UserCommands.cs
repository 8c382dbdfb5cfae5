using System.CommandLine;
using System.Globalization;
using IdentityHub.Accounts;
using IdentityHub.Administration;
using IdentityHub.Errors;
using IdentityHub.Web.Api.Admin;

namespace IdentityHub.Web.Cli;

/// <summary>
/// <c>users create|reset|lock|unlock|disable|enable|delete|list|show</c>: the admin API's user administration for an
/// operator on the box, over the same <see cref="UserAdministration"/> (the tenant's Cedar policies decide, with the
/// principal <c>Operator::"cli"</c>). Actions are audited without a client id and with the User-Agent
/// <c>IdentityHub CLI (&lt;OS user&gt;)</c>. A password is read from standard input (<c>--password-stdin</c>), never
/// from the arguments, which other users of the box can read. Links in emails use <c>IdentityHub:Server:Issuer</c>.
/// </summary>
internal static class UserCommands
{
    private static readonly Option<string> Tenant = new("--tenant") { Description = "The tenant id (UUID)", Required = true, Recursive = true };
    private static readonly Argument<string> Who = new("user") { Description = "The user: its id, or its email in the tenant" };
    private static readonly Option<bool> PasswordStdin = new("--password-stdin") { Description = "Read the password from the first line of standard input" };

    private delegate Task<HubResult<HubUser>> Change(UserAdministration users, AdminActor actor, Guid tenantId, Guid userId, CancellationToken cancellationToken);

    public static Command Create(TextReader input)
    {
        var users = new Command("users", "Administer a tenant's users") { Tenant };
        users.Subcommands.Add(CreateCommand(input));
        users.Subcommands.Add(ResetCommand(input));
        users.Subcommands.Add(ChangeCommand("lock", "Lock the user until unlocked (no sign-in; every session ends)", (a, x, t, u, c) => a.LockAsync(x, t, u, c)));
        users.Subcommands.Add(ChangeCommand("unlock", "Unlock the user and clear its failed-attempt count", (a, x, t, u, c) => a.UnlockAsync(x, t, u, c)));
        users.Subcommands.Add(ChangeCommand("disable", "Disable the user: no sign-in, every session and token ends", (a, x, t, u, c) => a.DisableAsync(x, t, u, c)));
        users.Subcommands.Add(ChangeCommand("enable", "Enable a disabled user", (a, x, t, u, c) => a.EnableAsync(x, t, u, c)));
        users.Subcommands.Add(ChangeCommand("show", "Show a user", (a, x, t, u, c) => a.FindAsync(x, t, u, c)));
        users.Subcommands.Add(DeleteCommand());
        users.Subcommands.Add(ListCommand());
        return users;
    }

    private static Command CreateCommand(TextReader input)
    {
        var email = new Argument<string>("email") { Description = "The new user's email" };
        var displayName = new Option<string?>("--display-name") { Description = "Display name" };
        var locale = new Option<string?>("--locale") { Description = "Preferred language (BCP 47), for emails and pages" };
        var roles = new Option<string[]>("--role") { Description = "A role (repeat for several)", AllowMultipleArgumentsPerToken = false };
        var invite = new Option<bool>("--invite") { Description = "No password: email the user a link to set one" };
        var create = new Command("create", "Create a user with a password read from standard input (--password-stdin), or invite one (--invite)")
        {
            email, displayName, locale, roles, invite, PasswordStdin,
        };
        create.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken, async (services, actor, tenantId) =>
        {
            if (parse.GetValue(invite) == parse.GetValue(PasswordStdin))
            {
                return Usage(parse, "create: give exactly one of --invite and --password-stdin.");
            }
            if (parse.GetValue(invite) && Issuer(services) is null)
            {
                return NoIssuer(parse);
            }
            var password = parse.GetValue(PasswordStdin) ? await input.ReadLineAsync(cancellationToken) ?? "" : null;
            var created = await services.GetRequiredService<UserAdministration>().CreateAsync(actor, tenantId,
                new NewUser(parse.GetValue(email), parse.GetValue(displayName), parse.GetValue(locale), parse.GetValue(roles) ?? [], password, parse.GetValue(invite)),
                Issuer(services), cancellationToken);
            return created.Succeeded ? Show(parse, services, created.Value, parse.GetValue(invite) ? "invited" : "created") : CliOutput.Fail(parse, created);
        }));
        return create;
    }

    private static Command ResetCommand(TextReader input)
    {
        var reset = new Command("reset", "Email the user a password-reset link, or set a password read from standard input (--password-stdin)") { Who, PasswordStdin };
        reset.SetAction((parse, cancellationToken) => RunOnUserAsync(parse, cancellationToken, async (services, users, actor, tenantId, userId) =>
        {
            if (!parse.GetValue(PasswordStdin))
            {
                if (Issuer(services) is null)
                {
                    return NoIssuer(parse);
                }
                var sent = await users.SendPasswordResetAsync(actor, tenantId, userId, Issuer(services), cancellationToken);
                return sent.Succeeded ? CliOutput.Write(parse, new { user_id = userId, reset_email = "queued" }, "reset email queued") : CliOutput.Fail(parse, sent);
            }
            var set = await users.SetPasswordAsync(actor, tenantId, userId, await input.ReadLineAsync(cancellationToken) ?? "", cancellationToken);
            return set.Succeeded ? Show(parse, services, set.Value, "password set") : CliOutput.Fail(parse, set);
        }));
        return reset;
    }

    private static Command ChangeCommand(string name, string description, Change change)
    {
        var command = new Command(name, description) { Who };
        command.SetAction((parse, cancellationToken) => RunOnUserAsync(parse, cancellationToken, async (services, users, actor, tenantId, userId) =>
        {
            var changed = await change(users, actor, tenantId, userId, cancellationToken);
            return changed.Succeeded ? Show(parse, services, changed.Value, name == "show" ? null : name + (name.EndsWith('e') ? "d" : "ed")) : CliOutput.Fail(parse, changed);
        }));
        return command;
    }

    private static Command DeleteCommand()
    {
        var delete = new Command("delete", "Delete the user: every session and token ends; its audit events are kept") { Who };
        delete.SetAction((parse, cancellationToken) => RunOnUserAsync(parse, cancellationToken, async (_, users, actor, tenantId, userId) =>
        {
            var deleted = await users.DeleteAsync(actor, tenantId, userId, cancellationToken);
            return deleted.Succeeded ? CliOutput.Write(parse, new { id = userId, deleted = true }, $"deleted {userId}") : CliOutput.Fail(parse, deleted);
        }));
        return delete;
    }

    private static Command ListCommand()
    {
        var email = new Option<string?>("--email") { Description = "Only users whose email contains this (any case)" };
        var page = new Option<int>("--page") { Description = "Page number, from 1", DefaultValueFactory = _ => 1 };
        var size = new Option<int>("--size") { Description = $"Users per page, up to {UserQuery.MaxSize}", DefaultValueFactory = _ => UserQuery.DefaultSize };
        var list = new Command("list", "List the tenant's users by email, a page at a time") { email, page, size };
        list.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken, async (services, actor, tenantId) =>
        {
            var found = await services.GetRequiredService<UserAdministration>().ListAsync(actor, tenantId,
                new UserQuery(parse.GetValue(email), parse.GetValue(page), parse.GetValue(size)), cancellationToken);
            if (!found.Succeeded)
            {
                return CliOutput.Fail(parse, found);
            }
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var items = found.Value.Items.Select(u => AdminUserResponse.From(u, now)).ToList();
            var lines = items.Select(u => $"{u.Id}  {u.Email}{Flags(u)}").Append($"page {found.Value.Page}, {items.Count} of {found.Value.Total}");
            return CliOutput.Write(parse, new AdminPage<AdminUserResponse>(items, found.Value.Page, found.Value.Size, found.Value.Total), string.Join(Environment.NewLine, lines));
        }));
        return list;
    }

    /// <summary>Runs a command on the server's services as the command-line actor, in the tenant of <c>--tenant</c>.</summary>
    private static Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken, Func<IServiceProvider, AdminActor, Guid, Task<int>> command)
    {
        if (!Guid.TryParseExact(parse.GetValue(Tenant), "D", out var tenantId))
        {
            return Task.FromResult(Usage(parse, "--tenant: must be a UUID."));
        }
        var actor = AdminActor.Cli();
        return CliHost.RunAsync(parse, (services, _) => command(services, actor, tenantId), cancellationToken);
    }

    /// <summary>Like <see cref="RunAsync"/>, for a command on one user named by id or email (an unknown email is not found).</summary>
    private static Task<int> RunOnUserAsync(ParseResult parse, CancellationToken cancellationToken,
        Func<IServiceProvider, UserAdministration, AdminActor, Guid, Guid, Task<int>> command) =>
        RunAsync(parse, cancellationToken, async (services, actor, tenantId) =>
        {
            var users = services.GetRequiredService<UserAdministration>();
            var who = parse.GetValue(Who) ?? "";
            var userId = Guid.TryParseExact(who, "D", out var id) ? id : await users.FindIdByEmailAsync(actor, tenantId, who, cancellationToken);
            return userId is { } found
                ? await command(services, users, actor, tenantId, found)
                : CliOutput.Fail(parse, HubResult.Failed(HubErrorCode.AccountNotFound));
        });

    private static int Show(ParseResult parse, IServiceProvider services, HubUser user, string? done)
    {
        var shown = AdminUserResponse.From(user, services.GetRequiredService<TimeProvider>().GetUtcNow());
        var text = $"{(done is null ? "" : done + ": ")}{shown.Id}  {shown.Email}{Flags(shown)}" +
                   (done is null ? $"{Environment.NewLine}display name: {shown.DisplayName}{Environment.NewLine}locale: {shown.Locale}{Environment.NewLine}created: {shown.CreatedAt:O}" : "");
        return CliOutput.Write(parse, shown, text);
    }

    private static string Flags(AdminUserResponse user) =>
        (user.DisabledAt is not null ? " [disabled]" : "") + (user.LockedUntil is not null ? " [locked]" : "") +
        (user.PasswordChangeRequired ? " [password change required]" : "") + (user.HasPassword ? "" : " [no password]");

    private static int Usage(ParseResult parse, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine(message);
        return CliOutput.BadInput;
    }

    /// <summary>An emailed link needs the server's public URL, which only its settings know here.</summary>
    private static int NoIssuer(ParseResult parse)
    {
        parse.InvocationConfiguration.Error.WriteLine("error: the email's link needs the server's public URL: set IdentityHub:Server:Issuer.");
        return CliOutput.Failed;
    }

    /// <summary>The server's public URL for links in emails: the command line has no request to take it from.</summary>
    private static Uri? Issuer(IServiceProvider services) => services.GetRequiredService<IOptions<ServerOptions>>().Value.Issuer;
}
