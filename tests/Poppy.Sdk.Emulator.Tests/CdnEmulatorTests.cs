using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Poppy.Sdk.Emulator.CloudFront;
using Poppy.Sdk.Emulator.Fastly;

namespace Poppy.Sdk.Emulator.Tests;

/// <summary>The host: vendors from one list, their options by type, paths no vendor serves.</summary>
public sealed class CdnEmulatorTests
{
    [Fact]
    public void Vendor_SameOptionsType_ReturnsTheInstanceTheTypedPropertyHolds()
    {
        var options = new CdnEmulatorOptions();
        options.Fastly.ApiToken = "changed";

        Assert.Same(options.Fastly, options.Vendor<FastlyEmulatorOptions>());
        Assert.Same(options.CloudFront, options.Vendor<CloudFrontEmulatorOptions>());
        Assert.Equal("changed", options.Vendor<FastlyEmulatorOptions>().ApiToken);
    }

    [Fact]
    public async Task StartAsync_OptionsSetByType_AreWhatTheVendorUses()
    {
        var options = new CdnEmulatorOptions();
        options.SetVendor(new FastlyEmulatorOptions { ApiToken = "set-by-type" });

        await using var emulator = await CdnEmulator.StartAsync(options);

        Assert.Equal("set-by-type", emulator.Fastly.ApiToken);
        Assert.Contains("fastly base_url=" + emulator.BaseAddress.ToString().TrimEnd('/') + " api_token=set-by-type", emulator.DescribeVendors());
    }

    [Fact]
    public async Task GetVendor_ListedAndUnlistedTypes_ReturnsTheVendorOrThrows()
    {
        await using var emulator = await CdnEmulator.StartAsync();

        Assert.Same(emulator.Fastly, emulator.GetVendor<FastlyEmulator>());
        Assert.Same(emulator.CloudFront, emulator.GetVendor<CloudFrontEmulator>());
        Assert.Same(emulator.Akamai, emulator.GetVendor<Poppy.Sdk.Emulator.Akamai.AkamaiEmulator>());
        Assert.Equal(["fastly", "cloudfront", "akamai", "cloudflare"], emulator.Vendors.Select(v => v.Key));
        Assert.Same(emulator.Cloudflare, emulator.GetVendor<Poppy.Sdk.Emulator.Cloudflare.CloudflareEmulator>());
        Assert.Throws<InvalidOperationException>(() => emulator.GetVendor<UnlistedVendor>());
    }

    [Fact]
    public async Task Request_PathNoVendorOwns_Is404AndLoggedByNoVendor()
    {
        await using var emulator = await CdnEmulator.StartAsync();
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };

        using var response = await http.GetAsync("nothing/here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No emulated vendor API serves this path.", await response.Content.ReadAsStringAsync());
        Assert.All(emulator.Vendors, v => Assert.Empty(v.Calls.Calls));
    }

    /// <summary>A vendor type the list does not hold.</summary>
    private sealed class UnlistedVendor : IVendorEmulator
    {
        public string Key => "unlisted";

        public IReadOnlyList<string> PathPrefixes => [];

        public IVendorErrorWriter Errors => throw new NotSupportedException();

        public VendorFaults Faults => throw new NotSupportedException();

        public CallLog Calls { get; } = new();

        public void MapRoutes(IEndpointRouteBuilder routes)
        {
        }

        public ValueTask<VendorErrorException?> AuthenticateAsync(HttpContext context) => ValueTask.FromResult<VendorErrorException?>(null);

        public void Reset()
        {
        }

        public string DescribeStartup(Uri baseUrl) => "unlisted";
    }
}
