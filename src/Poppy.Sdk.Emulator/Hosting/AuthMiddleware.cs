using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator;

/// <summary>Runs the vendor's access check (<see cref="IVendorEmulator.AuthenticateAsync"/>); a failure is answered in the vendor's format.</summary>
internal sealed class AuthMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetVendor() is { } vendor && await vendor.AuthenticateAsync(context).ConfigureAwait(false) is { } failure)
        {
            throw failure;
        }

        await next(context).ConfigureAwait(false);
    }
}
