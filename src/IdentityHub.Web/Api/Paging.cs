using System.Globalization;
using IdentityHub.Administration;
using IdentityHub.Errors;

namespace IdentityHub.Web.Api;

/// <summary>The <c>page</c> and <c>size</c> query parameters of the paged reads (v1 and admin alike).</summary>
internal static class Paging
{
    /// <summary><c>page</c> (from 1) and <c>size</c> as given; the core checks their range.</summary>
    public static HubResult<(int Page, int Size)> Read(string? page, string? size)
    {
        var pageNumber = 1;
        var pageSize = UserQuery.DefaultSize;
        if (page is not null && !int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out pageNumber))
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.Page, ["must_be_integer"]);
        }
        if (size is not null && !int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize))
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.PageSize, ["must_be_integer"]);
        }
        return (pageNumber, pageSize);
    }
}
