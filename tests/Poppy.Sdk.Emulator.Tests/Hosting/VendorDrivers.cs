using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Poppy.Sdk.CloudFront.Internal.Signing;

namespace Poppy.Sdk.Emulator.Tests.Hosting;

/// <summary>
/// What the shared-middleware tests need to know about one vendor: how to make a harmless read, how to
/// authenticate it, and what its errors look like. One per emulated vendor (checked by
/// <see cref="SharedMiddlewareTests.Drivers_EveryEmulatedVendor_HasExactlyOneDriver"/>).
/// </summary>
public abstract class VendorDriver
{
    /// <summary>The vendor's key (<see cref="IVendorEmulator.Key"/>).</summary>
    public abstract string Key { get; }

    /// <summary>A read that answers 200 on an empty emulator.</summary>
    public abstract string ReadPath { get; }

    /// <summary>A path under the vendor's prefix that no operation serves.</summary>
    public abstract string UnknownPath { get; }

    /// <summary>The status of an injected rate limit (CloudFront answers 400 <c>Throttling</c>).</summary>
    public abstract HttpStatusCode ThrottledStatus { get; }

    /// <summary>Whether injected rate limits carry <c>Retry-After</c> (CloudFront sends none).</summary>
    public abstract bool SendsRetryAfter { get; }

    /// <summary>The status of a request without credentials.</summary>
    public abstract HttpStatusCode UnauthenticatedStatus { get; }

    public IVendorEmulator Vendor(CdnEmulator emulator) => emulator.Vendors.Single(v => v.Key == Key);

    /// <summary>A GET of <paramref name="path"/>, with the vendor's credentials unless <paramref name="authenticated"/> is false.</summary>
    public HttpRequestMessage Get(CdnEmulator emulator, string path, DateTimeOffset now, bool authenticated = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(emulator.BaseAddress, path.TrimStart('/')));
        if (authenticated)
        {
            Authenticate(request, emulator, now);
        }

        return request;
    }

    /// <summary>Asserts the body is an error in the vendor's format, and returns its code or message.</summary>
    public abstract string AssertErrorShape(HttpResponseMessage response, string body);

    protected abstract void Authenticate(HttpRequestMessage request, CdnEmulator emulator, DateTimeOffset now);

    public override string ToString() => Key;
}

/// <summary>Fastly: <c>Fastly-Key</c>; errors are JSON <c>{"msg","detail"}</c>.</summary>
public sealed class FastlyDriver : VendorDriver
{
    public override string Key => "fastly";

    public override string ReadPath => "/service";

    public override string UnknownPath => "/service/no-such/thing/here";

    public override HttpStatusCode ThrottledStatus => HttpStatusCode.TooManyRequests;

    public override bool SendsRetryAfter => true;

    public override HttpStatusCode UnauthenticatedStatus => HttpStatusCode.Unauthorized;

    public override string AssertErrorShape(HttpResponseMessage response, string body)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = Assert.IsType<JsonObject>(JsonNode.Parse(body));
        Assert.True(json.ContainsKey("detail"), body);
        return json["msg"]!.GetValue<string>();
    }

    protected override void Authenticate(HttpRequestMessage request, CdnEmulator emulator, DateTimeOffset now) =>
        request.Headers.Add("Fastly-Key", emulator.Fastly.ApiToken);
}

/// <summary>CloudFront: Signature V4; errors are XML <c>ErrorResponse</c> repeating <c>x-amzn-RequestId</c>.</summary>
public sealed class CloudFrontDriver : VendorDriver
{
    private static readonly XNamespace Ns = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    public override string Key => "cloudfront";

    public override string ReadPath => "/2020-05-31/distribution";

    public override string UnknownPath => "/2020-05-31/no-such/thing";

    public override HttpStatusCode ThrottledStatus => HttpStatusCode.BadRequest;

    public override bool SendsRetryAfter => false;

    public override HttpStatusCode UnauthenticatedStatus => HttpStatusCode.Forbidden;

    public override string AssertErrorShape(HttpResponseMessage response, string body)
    {
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var root = XElement.Parse(body);
        Assert.Equal(Ns + "ErrorResponse", root.Name);
        Assert.Equal(response.Headers.GetValues("x-amzn-RequestId").Single(), root.Element(Ns + "RequestId")?.Value);
        Assert.Equal((int)response.StatusCode >= 500 ? "Receiver" : "Sender", root.Element(Ns + "Error")?.Element(Ns + "Type")?.Value);
        return root.Element(Ns + "Error")!.Element(Ns + "Code")!.Value;
    }

    protected override void Authenticate(HttpRequestMessage request, CdnEmulator emulator, DateTimeOffset now)
    {
        var uri = request.RequestUri!;
        var signature = AwsSigV4Signer.Sign(
            request.Method.Method,
            uri.AbsolutePath,
            uri.Query.TrimStart('?'),
            [new("host", uri.Authority)],
            AwsSigV4Signer.HashPayload([]),
            new AwsCredentials(emulator.CloudFront.AccessKeyId, emulator.CloudFront.SecretAccessKey),
            "us-east-1",
            "cloudfront",
            now);
        foreach (var (name, value) in signature.AddedHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
    }
}

/// <summary>Cloudflare: <c>Authorization: Bearer</c>; errors are the v4 envelope with numeric codes.</summary>
public sealed class CloudflareDriver : VendorDriver
{
    public override string Key => "cloudflare";

    public override string ReadPath => "/client/v4/user/tokens/verify";

    public override string UnknownPath => "/client/v4/no-such/thing";

    public override HttpStatusCode ThrottledStatus => HttpStatusCode.TooManyRequests;

    public override bool SendsRetryAfter => true;

    // No Authorization header at all: 400 (code 9106); a wrong token is a 403.
    public override HttpStatusCode UnauthenticatedStatus => HttpStatusCode.BadRequest;

    public override string AssertErrorShape(HttpResponseMessage response, string body)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("cf-ray"), "cf-ray");
        var json = Assert.IsType<JsonObject>(JsonNode.Parse(body));
        Assert.False(json["success"]!.GetValue<bool>());
        Assert.Empty(json["messages"]!.AsArray());
        Assert.Null(json["result"]);
        var error = Assert.Single(json["errors"]!.AsArray())!;
        return error["code"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override void Authenticate(HttpRequestMessage request, CdnEmulator emulator, DateTimeOffset now) =>
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", emulator.Cloudflare.ApiToken);
}

/// <summary>Akamai: EdgeGrid (<c>EG1-HMAC-SHA256</c>); errors are RFC 7807 <c>application/problem+json</c>.</summary>
public sealed class AkamaiDriver : VendorDriver
{
    public override string Key => "akamai";

    public override string ReadPath => "/papi/v1/contracts";

    public override string UnknownPath => "/papi/v1/no-such/thing";

    public override HttpStatusCode ThrottledStatus => HttpStatusCode.TooManyRequests;

    public override bool SendsRetryAfter => true;

    public override HttpStatusCode UnauthenticatedStatus => HttpStatusCode.Unauthorized;

    public override string AssertErrorShape(HttpResponseMessage response, string body)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = Assert.IsType<JsonObject>(JsonNode.Parse(body));
        Assert.Equal((int)response.StatusCode, json["status"]!.GetValue<int>());
        Assert.StartsWith("https://problems.luna.akamaiapis.net/", json["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(json["instance"]);
        return json["title"]!.GetValue<string>();
    }

    protected override void Authenticate(HttpRequestMessage request, CdnEmulator emulator, DateTimeOffset now)
    {
        var o = emulator.Akamai.Options;
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            Poppy.Sdk.Emulator.Tests.Akamai.TestEdgeGridSigner.Sign(request.Method, request.RequestUri!, [], (o.ClientToken, o.ClientSecret, o.AccessToken), now));
    }
}

/// <summary>The drivers, one per emulated vendor.</summary>
public static class VendorDrivers
{
    public static IReadOnlyList<VendorDriver> All { get; } = [new FastlyDriver(), new CloudFrontDriver(), new AkamaiDriver(), new CloudflareDriver()];

    public static VendorDriver For(string key) => All.Single(d => d.Key == key);
}
