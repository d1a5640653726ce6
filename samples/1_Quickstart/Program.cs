// Poppy.Sdk quickstart: describe a CDN service once, provision it on several providers, purge it,
// watch a failover, and clean up. It needs no credentials: Fastly, CloudFront, Akamai and Cloudflare are the
// local emulator (real HTTP, each vendor's wire protocol: SigV4 for CloudFront, EdgeGrid for Akamai), and edge-a /
// edge-b are in-memory CDNs that behave like asynchronous vendors (they take a few seconds to "deploy"). Set
// Fastly:ApiToken, or CloudFront:AccessKeyId + CloudFront:SecretAccessKey + CloudFront:AcmCertificateArn, or
// Akamai:ClientToken (with ClientSecret, AccessToken, Host, ContractId, GroupId, ProductId, NotifyEmails), or
// Cloudflare:ApiToken + Cloudflare:ZoneId + Cloudflare:CnameTarget (user secrets, or environment variables such as
// Fastly__ApiToken) to use the real APIs instead.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Poppy.Sdk;
using Poppy.Sdk.Cloudflare;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Serialization;
using Poppy.Sdk.Testing;

var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: false);

// 1. Register Poppy. Flavors come from appsettings.json ("Poppy" section):
//    "global"    mirrors a service on fastly, cloudfront, akamai, cloudflare and edge-a;
//    "resilient" places it on edge-a, or on edge-b when edge-a is down.
//    Without credentials, Fastly, CloudFront and Akamai are the emulator, started here on 127.0.0.1
//    (CloudFront and Akamai "deploy" in 3 seconds there; the real ones take minutes).
var realFastly = builder.Configuration["Fastly:ApiToken"] is not null;
var realCloudFront = builder.Configuration["CloudFront:AccessKeyId"] is not null;
var realCloudflare = builder.Configuration["Cloudflare:ApiToken"] is not null;
var realAkamai = builder.Configuration["Akamai:ClientToken"] is not null || builder.Configuration["Akamai:EdgeRcPath"] is not null;
await using var emulator = realFastly && realCloudFront && realAkamai && realCloudflare ? null : await CdnEmulator.StartAsync(new CdnEmulatorOptions { DeployDelay = TimeSpan.FromSeconds(3) });
var poppy = builder.Services.AddPoppy(builder.Configuration)
    .AddInMemoryProvider("edge-a", o => o.DeploymentDelay = TimeSpan.FromSeconds(3))
    .AddInMemoryProvider("edge-b", o => o.DeploymentDelay = TimeSpan.FromSeconds(2));
if (realFastly)
{
    poppy.AddFastly(builder.Configuration.GetSection("Fastly"));
}
else
{
    poppy.AddFastly("fastly", o =>
    {
        o.BaseAddress = emulator!.BaseAddress;
        o.ApiToken = emulator.Fastly.ApiToken;
    });
    Console.WriteLine($"Fastly: the emulator at {emulator!.BaseAddress} (set Fastly:ApiToken to use the real API).");
}

if (realCloudFront)
{
    poppy.AddCloudFront(builder.Configuration.GetSection("CloudFront"));
}
else
{
    poppy.AddCloudFront("cloudfront", o =>
    {
        o.BaseAddress = emulator!.BaseAddress;
        o.AccessKeyId = emulator.CloudFront.Options.AccessKeyId;
        o.SecretAccessKey = emulator.CloudFront.Options.SecretAccessKey;
        // CloudFront serves alternate domain names only with a certificate covering them; the emulator accepts any ACM ARN.
        o.AcmCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/quickstart";
        o.CacheTagHeaderName = "Cache-Tag";
        o.PollingInterval = TimeSpan.FromSeconds(1);
    });
    Console.WriteLine($"CloudFront: the emulator at {emulator!.BaseAddress} (set CloudFront:AccessKeyId and friends to use the real API).");
}

if (realCloudflare)
{
    poppy.AddCloudflare(builder.Configuration.GetSection("Cloudflare"));
}
else
{
    poppy.AddCloudflare("cloudflare", o =>
    {
        o.BaseAddress = new Uri(emulator!.BaseAddress, "client/v4/");
        (o.ApiToken, o.ZoneId, o.AccountId) = (emulator.Cloudflare.ApiToken, emulator.Cloudflare.ZoneId, emulator.Cloudflare.AccountId);
        o.Plan = CloudflarePlanTier.Enterprise; // the emulated zone's plan (it sets the minimum edge TTL)
        o.CnameTarget = "customers.saas.example.net"; // where customer domains point their CNAME
        o.PollingInterval = TimeSpan.FromSeconds(1);
    });
    Console.WriteLine($"Cloudflare: the emulator at {emulator!.BaseAddress} (set Cloudflare:ApiToken and friends to use the real API).");
}

if (realAkamai)
{
    poppy.AddAkamai(builder.Configuration.GetSection("Akamai"));
}
else
{
    poppy.AddAkamai("akamai", o =>
    {
        (o.BaseAddress, o.ClientToken, o.ClientSecret, o.AccessToken) = (emulator!.BaseAddress, emulator.Akamai.Options.ClientToken, emulator.Akamai.Options.ClientSecret, emulator.Akamai.Options.AccessToken);
        (o.ContractId, o.GroupId, o.ProductId) = ("ctr_" + emulator.Akamai.Options.ContractId, "grp_" + emulator.Akamai.Options.GroupId, "prd_" + emulator.Akamai.Options.Products[0]);
        o.NotifyEmails = ["ops@quickstart.example"];
        o.PollingInterval = TimeSpan.FromSeconds(1);
    });
    Console.WriteLine($"Akamai: the emulator at {emulator!.BaseAddress} (set Akamai:ClientToken and friends to use the real API).");
}

using var host = builder.Build();
await host.StartAsync(); // options are validated here: a typo in a flavor stops the app with a clear message
var client = host.Services.GetRequiredService<PoppyClient>();

// 2. Load the service from an OpenStack Poppy v1 JSON document and validate it (no network calls).
Step("Load and validate service.json");
var spec = await PoppyJson.DeserializeServiceAsync(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "service.json")));
var validation = client.Validate(spec);
if (!validation.IsValid)
{
    foreach (var problem in validation.Problems)
    {
        Console.WriteLine($"  {problem}");
    }

    return 1;
}

Console.WriteLine($"  '{spec.Name}': {spec.Domains.Count} domains, {spec.Origins.Count} origins, {spec.Caching!.Count} caching rules — valid.");

// The plan: what each provider would send, worked out offline by its translator (what `poppy plan` shows).
foreach (var plan in client.PlanService(spec))
{
    Console.WriteLine($"  plan on {plan.Provider}: {plan.Summary} ({string.Join(", ", plan.Documents.Select(d => $"{d.Name}: {d.Content.Length} chars"))})");
}

// 3. Create it on the mirror flavor and show progress until every provider has deployed it.
Step("Create on flavor 'global' (mirror: fastly + cloudfront + akamai + cloudflare + edge-a, in parallel)");
var create = await client.CreateServiceAsync(spec);
var service = await WaitWithProgressAsync(create);
PrintStatus(service);

// 4. Purge: one neutral request, fanned out to every provider holding the service. A purge is an operation: it
//    splits the request into each vendor's batches, paces them, and queues what a vendor's limits make wait.
Step("Purge two URLs and a tag");
foreach (var request in new[] { PurgeRequest.ForUrls("/index.html", "/images/logo.png"), PurgeRequest.ForTags("homepage") })
{
    var purge = await client.StartPurgeAsync(service.ServiceId, request);
    Console.WriteLine($"  {purge.Id}: {string.Join("; ", purge.Progress)}");
    var report = await purge.WaitForCompletionAsync();
    foreach (var p in report.Providers)
    {
        Console.WriteLine($"  {request.Kind,-4} on {p.Provider}: {(p.IsSuccess ? "ok" : "FAILED")}, {p.BatchCount} vendor call(s)");
    }
}

// 5. Failover: take edge-a down and create a service on the "resilient" flavor.
Step("Failover: edge-a goes down; create on flavor 'resilient' (failover: edge-a, then edge-b)");
var edgeA = (InMemoryCdnProvider)host.Services.GetRequiredKeyedService<ICdnProvider>("edge-a");
edgeA.Faults.SetUnavailable(true);
var resilient = await client.CreateServiceAsync(spec with { Name = "quickstart-resilient", FlavorId = "resilient" });
var placed = await WaitWithProgressAsync(resilient);
var holder = placed.Providers.Single(p => p.Status == ProviderStatus.Deployed).Provider;
Console.WriteLine($"  edge-a refused (503); the service was placed on {holder} instead.");
edgeA.Faults.SetUnavailable(false);
PrintStatus(placed);

// 6. Clean up.
Step("Delete both services");
foreach (var id in new[] { service.ServiceId, placed.ServiceId })
{
    await WaitWithProgressAsync(await client.DeleteServiceAsync(id));
    Console.WriteLine($"  {id}: deleted everywhere");
}

await host.StopAsync();
Console.WriteLine();
Console.WriteLine("Done.");
return 0;

static void Step(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
}

static async Task<T> WaitWithProgressAsync<T>(CdnOperation<T> operation)
{
    string? last = null;
    while (!await operation.UpdateStatusAsync())
    {
        if (operation.StatusDescription != last)
        {
            last = operation.StatusDescription;
            Console.WriteLine($"  … {(last!.Length > 200 ? last[..197] + "..." : last)}"); // Cloudflare lists every record to publish
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500));
    }

    return operation.Value;
}

static void PrintStatus(CdnService service)
{
    Console.WriteLine();
    Console.WriteLine($"  service {service.ServiceId} ({service.Spec.Name}) — {service.Status}");
    Console.WriteLine($"  {"provider",-10} {"status",-12} {"vendor id",-38} access URLs");
    foreach (var p in service.Providers)
    {
        var urls = p.AccessUrls.Count == 0 ? (p.Error?.Message ?? "-") : string.Join(", ", p.AccessUrls.Select(u => $"{u.Domain} → {u.ProviderUrl}"));
        Console.WriteLine($"  {p.Provider,-10} {p.Status,-12} {p.VendorServiceId ?? "-",-38} {urls}");
    }
}
