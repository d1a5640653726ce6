using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator;

/// <summary>Records every answered call of a vendor in its <see cref="IVendorEmulator.Calls"/> (status 0 for a reset connection).</summary>
internal sealed class CallLogMiddleware(RequestDelegate next)
{
    private static readonly object ResetKey = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetVendor() is not { } vendor)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
        var status = context.Items.ContainsKey(ResetKey) ? 0 : context.Response.StatusCode;
        vendor.Calls.Add(new EmulatorCall(context.Request.Method, context.Request.Path.Value ?? "", status));
    }

    /// <summary>Aborts the connection without an answer, and logs the call as such.</summary>
    public static void Reset(HttpContext context)
    {
        context.Items[ResetKey] = true;
        context.Abort();
    }
}
