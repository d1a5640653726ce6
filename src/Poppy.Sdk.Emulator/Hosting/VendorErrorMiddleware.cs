using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator;

/// <summary>
/// Writes the vendor's common headers, then turns every <see cref="VendorErrorException"/> thrown further in —
/// by faults, the access check or an endpoint — into the vendor's error answer, with
/// <c>Retry-After</c> when the error carries one.
/// </summary>
internal sealed class VendorErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetVendor() is not { } vendor)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        vendor.Errors.WriteCommonHeaders(context);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (VendorErrorException error)
        {
            if (context.Response.HasStarted)
            {
                throw;
            }

            if (error.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = ((long)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            await vendor.Errors.WriteAsync(context, error).ConfigureAwait(false);
        }
    }
}
