using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator;

/// <summary>
/// Applies the vendor's <see cref="VendorFaults"/>: decides the fault, waits the added latency on the
/// emulator's <see cref="TimeProvider"/>, then resets the connection or answers the vendor's error —
/// before the access check, as an overloaded or failing vendor answers before looking at credentials. A lost answer
/// runs the request (access check and all) and then resets the connection instead of answering.
/// </summary>
internal sealed class FaultMiddleware(RequestDelegate next, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetVendor() is not { } vendor)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var faults = vendor.Faults;
        var fault = faults.Decide();
        if (faults.AddedLatency is var latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, time, context.RequestAborted).ConfigureAwait(false);
        }

        switch (fault.Kind)
        {
            case FaultKind.Reset:
                CallLogMiddleware.Reset(context);
                return;
            case FaultKind.RateLimited:
                throw vendor.Errors.Throttled(faults.RateLimitRetryAfter);
            case FaultKind.Status:
                throw vendor.Errors.Fault(fault.Status);
            case FaultKind.LoseAnswer:
                await RunThenResetAsync(context).ConfigureAwait(false);
                return;
        }

        await next(context).ConfigureAwait(false);
    }

    private async Task RunThenResetAsync(HttpContext context)
    {
        // The vendor acts; its answer (success or error) goes nowhere, and the connection drops.
        var body = context.Response.Body;
        context.Response.Body = Stream.Null;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (VendorErrorException)
        {
            // An error answer is lost just the same.
        }
        finally
        {
            context.Response.Body = body;
        }

        CallLogMiddleware.Reset(context);
    }
}
