using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Poppy.Sdk.Emulator;

/// <summary>
/// One emulated vendor API: what it serves and how it checks callers. The host (<see cref="CdnEmulator"/>)
/// runs every request of a vendor through one shared pipeline — call log, the vendor's error writer,
/// faults and latency, the access check — before the vendor's own endpoint, so a vendor supplies only
/// its routes, its access check and how its errors look on the wire.
/// </summary>
public interface IVendorEmulator
{
    /// <summary>The vendor's key, lower case: the first word of its start-up line (<c>fastly</c>, <c>cloudfront</c>).</summary>
    string Key { get; }

    /// <summary>
    /// The path prefixes the vendor's API owns (<c>/service</c>, <c>/2020-05-31</c>). Every path under one
    /// of them is the vendor's: a request no route of the vendor matches gets the vendor's own "no such
    /// operation" error, after faults and the access check.
    /// </summary>
    IReadOnlyList<string> PathPrefixes { get; }

    /// <summary>How the vendor's errors look on the wire.</summary>
    IVendorErrorWriter Errors { get; }

    /// <summary>Faults to inject into the vendor's answers, in its own error format.</summary>
    VendorFaults Faults { get; }

    /// <summary>The calls the vendor answered.</summary>
    CallLog Calls { get; }

    /// <summary>
    /// Maps the vendor's operations, as minimal-API route groups under its <see cref="PathPrefixes"/>
    /// (<c>routes.MapGroup("/service").MapGet("/{id}", …)</c>). Handlers throw <see cref="VendorErrorException"/>
    /// for an error answer; the shared pipeline writes it with <see cref="Errors"/>.
    /// </summary>
    /// <param name="routes">Where to map; everything mapped here is the vendor's.</param>
    void MapRoutes(IEndpointRouteBuilder routes);

    /// <summary>
    /// Checks the caller's credentials as the vendor does, after faults and before the operation.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <returns>Null to go on; otherwise the vendor's failure (401, 403, …), which the pipeline writes and logs.</returns>
    ValueTask<VendorErrorException?> AuthenticateAsync(HttpContext context);

    /// <summary>Forgets every resource and call (credentials and faults stay).</summary>
    void Reset();

    /// <summary>
    /// The vendor's start-up line, scriptable: its <see cref="Key"/>, then <c>name=value</c> pairs
    /// (<c>fastly base_url=http://127.0.0.1:5080 api_token=…</c>).
    /// </summary>
    /// <param name="baseUrl">Where the emulator listens.</param>
    /// <returns>The line.</returns>
    string DescribeStartup(Uri baseUrl);
}
