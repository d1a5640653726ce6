using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Poppy.Sdk.CloudFront;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Emulator.Cloudflare;
using Poppy.Sdk.Fastly;
using Poppy.Sdk.Models;
using Poppy.Sdk.Serialization;
using Poppy.Sdk.Validation;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.Docs.Snippets;

/// <summary>src/Poppy.Sdk.Testing/README.md.</summary>
internal static class TestingReadme
{
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        #region testing-readme-register
        services.AddPoppy(configuration)
                .AddInMemoryProvider("edge", o => o.DeploymentDelay = TimeSpan.Zero);   // deploys at once
        #endregion
    }

    public static async Task FaultsAsync(TimeProvider time, string serviceId)
    {
        #region testing-readme-faults
        var edge = new InMemoryCdnProvider(new InMemoryCdnProviderOptions { Name = "edge", TimeProvider = time });
        var poppy = new PoppyClient([edge], new PoppyClientOptions
        {
            Flavors = { ["global"] = new PoppyFlavorOptions { Providers = ["edge"] } },
        });

        edge.Faults.RateLimitNext(1, TimeSpan.FromSeconds(2));   // the next call gets a 429 with Retry-After: 2
        await poppy.PurgeAsync(serviceId, PurgeRequest.ForUrls("/index.html"));

        Console.WriteLine(edge.Purges.Count);                     // what reached the in-memory CDN
        Console.WriteLine(edge.CallCount("purge"));               // every call, failed ones included
        #endregion
    }
}

/// <summary>src/Poppy.Sdk/README.md.</summary>
internal static class PoppySdkReadme
{
    public static async Task UseAsync(IServiceCollection services, HostApplicationBuilder builder, IServiceProvider provider, ServiceSpec spec)
    {
        #region poppy-readme
        services.AddPoppy(builder.Configuration)          // reads the "Poppy" section; unknown keys are errors
                .AddFastly(builder.Configuration.GetSection("Fastly"))
                .AddInMemoryProvider("memory");             // Poppy.Sdk.Testing: a second CDN for trying things out

        // appsettings.json
        // "Poppy": { "Flavors": { "global": { "Mode": "Mirror", "Providers": [ "fastly", "memory" ] } } }

        var client = provider.GetRequiredService<PoppyClient>();
        var operation = await client.CreateServiceAsync(spec);        // validated first: nothing is sent if invalid
        CdnService service = await operation.WaitForCompletionAsync();
        PurgeReport report = await client.PurgeAsync(service.ServiceId, PurgeRequest.ForUrls("/index.html"));
        #endregion
        _ = report;
    }
}

/// <summary>src/Poppy.Sdk.Abstractions/README.md.</summary>
internal static class AbstractionsReadme
{
    public static ServiceSpec Validate()
    {
        #region abstractions-readme
        var spec = PoppyJson.DeserializeService(File.ReadAllText("service.json")); // an OpenStack Poppy v1 document
        var result = ServiceSpecValidator.Validate(spec);                            // no network calls
        foreach (var problem in result.Problems)
        {
            Console.WriteLine($"{problem.Path}: {problem.Message}");                // e.g. /origins/1/port: ...
        }

        ServiceSpec normalized = result.GetNormalizedOrThrow();                      // defaults applied
        #endregion
        return normalized;
    }
}

/// <summary>src/Poppy.Sdk.Fastly/README.md.</summary>
internal static class FastlyReadme
{
    public static void Register(IServiceCollection services, HostApplicationBuilder builder)
    {
        #region fastly-readme-register
        var fastly = services.AddPoppy(builder.Configuration)
                .AddFastly(builder.Configuration.GetSection("Fastly"));   // or .AddFastly("fastly", o => o.ApiToken = ...)

        // AddFastly returns the provider's builder: its name and its HttpClient's name, for your own handlers.
        services.AddTransient<MyAuditHandler>();
        services.AddHttpClient(fastly.HttpClientName!).AddHttpMessageHandler<MyAuditHandler>();

        // appsettings.json: the vendor's section sits beside "Poppy", never inside it (unknown keys in "Poppy"
        // are errors). Keep the token in a secret store / user secrets, not in the file.
        // "Poppy":  { "Flavors": { "global": { "Mode": "Mirror", "Providers": [ "fastly" ] } } },
        // "Fastly": { "ApiToken": "<from a secret store>" }
        #endregion
    }

    public static async Task DirectAsync(string token, ServiceSpec spec)
    {
        #region fastly-readme-direct
        var options = new FastlyCdnProviderOptions { ApiToken = token };
        var fastly = new FastlyCdnProvider(FastlyCdnProvider.CreateHttpClient(options), options);   // the client adds Fastly-Key
        var operation = await fastly.CreateServiceAsync("shop", spec);   // completes within the call
        ProviderServiceDetails details = operation.Value;                // vendor id, CNAME targets, status
        await fastly.PurgeAsync(new ServiceReference("shop", details.VendorServiceId), PurgeRequest.ForUrls("/index.html"));
        #endregion
    }
}

/// <summary>src/Poppy.Sdk.CloudFront/README.md.</summary>
internal static class CloudFrontReadme
{
    public static void Register(IServiceCollection services, HostApplicationBuilder builder)
    {
        #region cloudfront-readme-register
        services.AddPoppy(builder.Configuration)
                .AddCloudFront(builder.Configuration.GetSection("CloudFront"));   // returns the provider builder (name, HttpClient name)

        // appsettings.json: the vendor's section sits beside "Poppy", never inside it (unknown keys in "Poppy"
        // are errors). Keep the secret in a secret store / user secrets, not in the file.
        // "Poppy":      { "Flavors": { "global": { "Mode": "Mirror", "Providers": [ "cloudfront" ] } } },
        // "CloudFront": { "AccessKeyId": "AKIA…", "SecretAccessKey": "<secret>",
        //                 "AcmCertificateArn": "arn:aws:acm:us-east-1:…:certificate/…" }   // required for any alias
        #endregion
    }

    public static async Task DirectAsync(string keyId, string secret, string certificateArn, ServiceSpec spec)
    {
        #region cloudfront-readme-direct
        var options = new CloudFrontCdnProviderOptions { AccessKeyId = keyId, SecretAccessKey = secret, AcmCertificateArn = certificateArn };
        var cloudFront = new CloudFrontCdnProvider(CloudFrontCdnProvider.CreateHttpClient(options), options);   // the client signs (SigV4)
        ProviderPlan plan = cloudFront.PlanService(spec);                    // offline: the DistributionConfig XML and function code, or every problem
        var operation = await cloudFront.CreateServiceAsync("shop", spec);   // submitted; CloudFront deploys in minutes
        ProviderServiceDetails details = await operation.WaitForCompletionAsync();
        var purge = await cloudFront.PurgeAsync(new ServiceReference("shop", details.VendorServiceId), PurgeRequest.ForPrefixes("/images/"));
        await purge.Completion!.WaitForCompletionAsync();                   // the invalidation completes later
        #endregion
        _ = plan;
    }
}

/// <summary>src/Poppy.Sdk.Emulator/README.md.</summary>
internal static class EmulatorReadme
{
    public static async Task FastlyAsync(TimeProvider fakeTime)
    {
        #region emulator-readme-fastly
        await using var emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
        {
            TimeProvider = fakeTime,            // rate-limit windows and injected latency follow it
            Fastly = { HourlyRateLimit = 1000 },
        });

        var fastlyOptions = new FastlyCdnProviderOptions
        {
            BaseAddress = emulator.BaseAddress,     // http://127.0.0.1:<free port>/
            ApiToken = emulator.Fastly.ApiToken,
        };
        // The client's handler adds Fastly-Key; the provider never does (a bare HttpClient gets 401).
        var fastly = new FastlyCdnProvider(FastlyCdnProvider.CreateHttpClient(fastlyOptions), fastlyOptions, fakeTime);

        emulator.Fastly.Faults.FailNext(2, status: 503);         // faults, in Fastly's error format
        var services = emulator.Fastly.Services;                 // inspection: what exists
        var activations = emulator.Fastly.Calls.Count("PUT", "/activate");   // how many calls of a kind were made
        #endregion
        _ = (fastly, services, activations);
    }

    public static async Task CloudFrontAsync(TimeProvider fakeTime)
    {
        #region emulator-readme-cloudfront
        await using var emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
        {
            TimeProvider = fakeTime,                       // signature expiry, deployments, invalidations
            DeployDelay = TimeSpan.FromMinutes(3),         // InProgress → Deployed
            CloudFront = { InvalidationDelay = TimeSpan.FromSeconds(30) },
        });

        var cloudFrontOptions = new CloudFrontCdnProviderOptions
        {
            BaseAddress = emulator.BaseAddress,
            AccessKeyId = emulator.CloudFront.AccessKeyId,
            SecretAccessKey = emulator.CloudFront.SecretAccessKey,
        };
        // The client's handler signs with the same clock as the emulator checks signatures against.
        var cloudFront = new CloudFrontCdnProvider(CloudFrontCdnProvider.CreateHttpClient(cloudFrontOptions, fakeTime), cloudFrontOptions, fakeTime);

        emulator.CloudFront.Faults.RateLimitNext(1);               // 400 Throttling "Rate exceeded"
        var distributions = emulator.CloudFront.Distributions;     // id, ETag, status, the stored DistributionConfig XML, tags
        var invalidated = emulator.CloudFront.InvalidatedPaths;    // paths of completed invalidations
        #endregion
        _ = (cloudFront, distributions, invalidated);
    }

    public static async Task CloudflareAsync(TimeProvider fakeTime)
    {
        #region emulator-readme-cloudflare
        await using var emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
        {
            TimeProvider = fakeTime,                        // validation, purge token buckets, API budget
            DeployDelay = TimeSpan.FromSeconds(30),         // custom hostnames pending → active
            Cloudflare = { Plan = CloudflarePlan.Pro, AutoValidate = false },
        });

        var baseAddress = new Uri(emulator.BaseAddress, "client/v4/");   // Authorization: Bearer emulator.Cloudflare.ApiToken

        emulator.Cloudflare.MarkValidated("www.customer.example");      // with AutoValidate off: the owner published the records
        var hostnames = emulator.Cloudflare.CustomHostnames;            // id, host name, status, ssl status, method, metadata, origin
        var rules = emulator.Cloudflare.Rules;                          // every phase entry point's rules: phase, id, ref, action, expression
        var purges = emulator.Cloudflare.Purges;                        // kind and items of every purge accepted
        #endregion
        _ = (baseAddress, hostnames, rules, purges);
    }
}
