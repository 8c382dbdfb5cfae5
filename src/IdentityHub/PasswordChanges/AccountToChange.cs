using System.Globalization;
using IdentityHub.Accounts;
using IdentityHub.Tenancy;

namespace IdentityHub.PasswordChanges;

/// <summary>The account a change is for, with its tenant and the language of everything the change says.</summary>
public sealed record AccountToChange(HubUser User, Tenant Tenant, CultureInfo Culture);
