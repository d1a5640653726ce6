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
        if (!context.Items.ContainsKey(ResetKey))
        {
            vendor.Calls.Add(new EmulatorCall(context.Request.Method, context.Request.Path.Value ?? "", context.Response.StatusCode));
        }
    }

    /// <summary>Logs the call as unanswered (status 0), then aborts the connection without an answer.</summary>
    public static void Reset(HttpContext context)
    {
        // Logged before the abort: the client sees the reset at once and may read the log before this request unwinds.
        context.Items[ResetKey] = true;
        context.GetVendor()?.Calls.Add(new EmulatorCall(context.Request.Method, context.Request.Path.Value ?? "", 0));
        context.Abort();
    }
}
