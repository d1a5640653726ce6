using System.Net;
using Microsoft.Extensions.Logging;
using Poppy.Sdk.Emulator.Akamai;
using Poppy.Sdk.Emulator.Cloudflare;
using Poppy.Sdk.Emulator.CloudFront;
using Poppy.Sdk.Emulator.Fastly;

namespace Poppy.Sdk.Emulator;

/// <summary>Options of <see cref="CdnEmulator"/>.</summary>
public sealed class CdnEmulatorOptions
{
    private readonly Dictionary<Type, object> _vendors = [];

    /// <summary>The port on <see cref="Host"/>; 0 (the default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>
    /// The address to listen on. Default 127.0.0.1 (this machine only); <see cref="IPAddress.Any"/> (0.0.0.0)
    /// in a container whose port is published. The emulator has no TLS and well-known credentials: never expose
    /// it beyond a test network.
    /// </summary>
    public IPAddress Host { get; set; } = IPAddress.Loopback;

    /// <summary>The clock delays, deployments and rate-limit windows run on. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How long asynchronous deployments take (vendors that have them; CloudFront's <c>InProgress</c> → <c>Deployed</c>, Akamai's activations <c>PENDING</c> → <c>ACTIVE</c>, Cloudflare's custom hostnames <c>pending</c> → <c>active</c>). Default 10 s.</summary>
    public TimeSpan DeployDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The seed of the fault dice (error rates). Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>The emulated Fastly API.</summary>
    public FastlyEmulatorOptions Fastly
    {
        get => Vendor<FastlyEmulatorOptions>();
        set => SetVendor(value);
    }

    /// <summary>The emulated Amazon CloudFront API.</summary>
    public CloudFrontEmulatorOptions CloudFront
    {
        get => Vendor<CloudFrontEmulatorOptions>();
        set => SetVendor(value);
    }

    /// <summary>The emulated Akamai APIs (PAPI, Fast Purge, EdgeGrid).</summary>
    public AkamaiEmulatorOptions Akamai
    {
        get => Vendor<AkamaiEmulatorOptions>();
        set => SetVendor(value);
    }

    /// <summary>The emulated Cloudflare API (v4).</summary>
    public CloudflareEmulatorOptions Cloudflare
    {
        get => Vendor<CloudflareEmulatorOptions>();
        set => SetVendor(value);
    }

    /// <summary>Logging for the host; none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The options of one emulated vendor, by their type; defaults until set or changed.</summary>
    /// <typeparam name="TOptions">The vendor's options type (<see cref="FastlyEmulatorOptions"/>, …).</typeparam>
    /// <returns>The options (the same instance on every call).</returns>
    public TOptions Vendor<TOptions>()
        where TOptions : class, new()
    {
        lock (_vendors)
        {
            if (!_vendors.TryGetValue(typeof(TOptions), out var options))
            {
                _vendors[typeof(TOptions)] = options = new TOptions();
            }

            return (TOptions)options;
        }
    }

    /// <summary>Replaces the options of one emulated vendor.</summary>
    /// <typeparam name="TOptions">The vendor's options type.</typeparam>
    /// <param name="options">The options.</param>
    public void SetVendor<TOptions>(TOptions options)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_vendors)
        {
            _vendors[typeof(TOptions)] = options;
        }
    }
}
