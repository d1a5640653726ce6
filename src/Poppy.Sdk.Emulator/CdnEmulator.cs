using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Poppy.Sdk.Emulator.Akamai;
using Poppy.Sdk.Emulator.Cloudflare;
using Poppy.Sdk.Emulator.CloudFront;
using Poppy.Sdk.Emulator.Fastly;

namespace Poppy.Sdk.Emulator;

/// <summary>
/// Local emulators of the CDN vendors' provisioning APIs, all on one port of 127.0.0.1 (their paths
/// do not collide). Start one per test with <see cref="StartAsync"/> and <c>await using</c> it; or run
/// the project standalone. It speaks each vendor's wire protocol, so the real provider code — and the
/// vendor's own client library — runs against it unchanged.
/// </summary>
public sealed class CdnEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CdnEmulator(WebApplication app, Uri baseUrl, CdnEmulatorOptions options, IReadOnlyList<IVendorEmulator> vendors)
    {
        _app = app;
        BaseAddress = baseUrl;
        Options = options;
        Vendors = vendors;
        Fastly = GetVendor<FastlyEmulator>();
        CloudFront = GetVendor<CloudFrontEmulator>();
        Akamai = GetVendor<AkamaiEmulator>();
        Cloudflare = GetVendor<CloudflareEmulator>();
    }

    /// <summary>Where the emulator listens, for example <c>http://127.0.0.1:5080/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The options it was started with.</summary>
    public CdnEmulatorOptions Options { get; }

    /// <summary>Every emulated vendor, in the order of their start-up lines.</summary>
    public IReadOnlyList<IVendorEmulator> Vendors { get; }

    /// <summary>The emulated Fastly API: credentials, inspection, faults.</summary>
    public FastlyEmulator Fastly { get; }

    /// <summary>The emulated Amazon CloudFront API: credentials, inspection, faults.</summary>
    public CloudFrontEmulator CloudFront { get; }

    /// <summary>The emulated Akamai APIs (PAPI, Fast Purge): credentials, inspection, faults.</summary>
    public AkamaiEmulator Akamai { get; }
    /// <summary>The emulated Cloudflare API: credentials, inspection, validation, faults.</summary>
    public CloudflareEmulator Cloudflare { get; }

    /// <summary>Starts an emulator on <see cref="CdnEmulatorOptions.Host"/> (127.0.0.1 unless set).</summary>
    /// <param name="options">Options; defaults when null (a free port).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator.</returns>
    public static async Task<CdnEmulator> StartAsync(CdnEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new CdnEmulatorOptions();
        var vendors = EmulatedVendors.Create(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (options.LoggerFactory is { } loggerFactory)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.UseKestrel(k => k.Listen(options.Host, options.Port));

        // The host must not take over Ctrl+C/SIGTERM: in-process it would catch the test runner's
        // signals, and standalone the program handles them itself.
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        var app = builder.Build();
        app.UseRouting();
        app.UseVendorPipeline(options.TimeProvider);
        foreach (var vendor in vendors)
        {
            app.MapVendor(vendor);
        }

        app.Map("/{**path}", NoVendorAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new CdnEmulator(app, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{ReachableHost(options.Host)}:{port}/")), options, vendors);
    }

    /// <summary>The host of the base URL: a wildcard address is reached through this machine's loopback.</summary>
    internal static string ReachableHost(System.Net.IPAddress host) =>
        host.Equals(System.Net.IPAddress.Any) ? "127.0.0.1"
        : host.Equals(System.Net.IPAddress.IPv6Any) ? "[::1]"
        : host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]"
        : host.ToString();

    /// <summary>One emulated vendor by its type.</summary>
    /// <typeparam name="TVendor">The vendor's emulator type (<see cref="FastlyEmulator"/>, …).</typeparam>
    /// <returns>The vendor.</returns>
    /// <exception cref="InvalidOperationException">No vendor of that type is emulated.</exception>
    public TVendor GetVendor<TVendor>()
        where TVendor : IVendorEmulator =>
        Vendors.OfType<TVendor>().FirstOrDefault() ?? throw new InvalidOperationException($"No vendor of type {typeof(TVendor).Name} is emulated.");

    /// <summary>One scriptable line per vendor: the vendor's key, then <c>name=value</c> pairs.</summary>
    /// <returns>The lines.</returns>
    public IReadOnlyList<string> DescribeVendors() => [.. Vendors.Select(v => v.DescribeStartup(BaseAddress))];

    /// <summary>Stops the emulator.</summary>
    /// <param name="cancellationToken">Cancels a graceful stop.</param>
    /// <returns>A task.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private static async Task NoVendorAsync(HttpContext context)
    {
        context.Response.StatusCode = 404;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync("No emulated vendor API serves this path.", context.RequestAborted).ConfigureAwait(false);
    }
}
