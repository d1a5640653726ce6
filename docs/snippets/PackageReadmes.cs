using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
