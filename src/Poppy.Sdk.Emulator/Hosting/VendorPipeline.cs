using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Poppy.Sdk.Emulator;

/// <summary>
/// Puts vendors on the host: their routes (tagged with the vendor that owns them) and the one
/// pipeline every vendor request passes, outermost first: <see cref="CallLogMiddleware"/>,
/// <see cref="VendorErrorMiddleware"/>, <see cref="FaultMiddleware"/>, <see cref="AuthMiddleware"/>.
/// </summary>
internal static class VendorPipeline
{
    /// <summary>Maps one vendor: its routes, then a catch-all per prefix answering the vendor's "no such operation".</summary>
    public static void MapVendor(this IEndpointRouteBuilder routes, IVendorEmulator vendor)
    {
        var group = routes.MapGroup("").WithMetadata(new VendorEndpointMetadata(vendor));
        vendor.MapRoutes(group);
        foreach (var prefix in vendor.PathPrefixes)
        {
            // Lowest precedence: only what no operation of the vendor matches (any method).
            group.Map(prefix + "/{**path}", context => throw vendor.Errors.UnknownOperation(context.Request, ServedWithOtherMethod(routes, vendor, context.Request)));
        }
    }

    /// <summary>Adds the shared middleware; it must come after routing (it finds the vendor from the endpoint).</summary>
    public static IApplicationBuilder UseVendorPipeline(this IApplicationBuilder app, TimeProvider time) =>
        app.UseMiddleware<CallLogMiddleware>()
            .UseMiddleware<VendorErrorMiddleware>()
            .UseMiddleware<FaultMiddleware>(time)
            .UseMiddleware<AuthMiddleware>();

    /// <summary>
    /// Whether an operation of the vendor serves the path with another method only (so the answer may be a
    /// 405). Route constraints are not evaluated here, so a path some operation of the same method matches
    /// in shape was refused by a constraint (<c>{version:int}</c>): not a method problem.
    /// </summary>
    private static bool ServedWithOtherMethod(IEndpointRouteBuilder routes, IVendorEmulator vendor, HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        var otherMethod = false;
        foreach (var endpoint in routes.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>())
        {
            // The catch-alls carry no method metadata; only the vendor's operations do.
            if (endpoint.Metadata.GetMetadata<VendorEndpointMetadata>()?.Vendor != vendor
                || endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods
                || !new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary()))
            {
                continue;
            }

            if (methods.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase))
            {
                return false;
            }

            otherMethod = true;
        }

        return otherMethod;
    }

    /// <summary>The vendor whose endpoint the request was routed to, or null when none.</summary>
    public static IVendorEmulator? GetVendor(this HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<VendorEndpointMetadata>()?.Vendor;
}

/// <summary>Endpoint metadata: the vendor that owns the endpoint.</summary>
/// <param name="Vendor">The vendor.</param>
internal sealed record VendorEndpointMetadata(IVendorEmulator Vendor);

/// <summary>Route values for the vendors' endpoints.</summary>
internal static class RouteValueExtensions
{
    /// <summary>A route value as text ("" when absent).</summary>
    public static string Route(this HttpContext context, string name) => context.Request.Route(name);

    /// <summary>A route value as text ("" when absent).</summary>
    public static string Route(this HttpRequest request, string name) => request.RouteValues[name]?.ToString() ?? "";

    /// <summary>A route value constrained to <c>:int</c>.</summary>
    public static int RouteInt(this HttpContext context, string name) =>
        int.Parse(context.Route(name), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture);
}
