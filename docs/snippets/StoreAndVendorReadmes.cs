using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Poppy.Sdk.Akamai;
using Poppy.Sdk.Models;
using Poppy.Sdk.Redis;

namespace Poppy.Sdk.Docs.Snippets;

/// <summary>The READMEs of the store, budget and Akamai packages.</summary>
internal static class StoreAndVendorReadmes
{
    public static void PostgreSql(IServiceCollection services, HostApplicationBuilder builder)
    {
        #region postgresql-readme
        services.AddPoppy(builder.Configuration)
                .UsePostgreSqlCatalog(builder.Configuration.GetConnectionString("Poppy")!)   // or an NpgsqlDataSource
                .AddFastly(builder.Configuration.GetSection("Fastly"));
        #endregion
    }

    public static void Sqlite(IServiceCollection services, HostApplicationBuilder builder)
    {
        #region sqlite-readme
        services.AddPoppy(builder.Configuration)
                .UseSqliteCatalog("Data Source=poppy.db")
                .AddFastly(builder.Configuration.GetSection("Fastly"));
        #endregion
    }

    public static void Redis(IServiceCollection services, HostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        #region redis-readme
        services.AddPoppy(configuration)
                .AddFastly(configuration.GetSection("Fastly"))
                .UseRedisRateLimits("redis.internal:6379", o => o.WhenUnavailable = RedisUnavailableBehavior.FallBackToLocal);
        #endregion
    }

    public static void AkamaiRegister(IServiceCollection services, HostApplicationBuilder builder)
    {
        #region akamai-readme-register
        services.AddPoppy(builder.Configuration)
                .AddAkamai(builder.Configuration.GetSection("Akamai"));   // returns the provider builder (name, HttpClient name)

        // appsettings.json: the vendor's section sits beside "Poppy", never inside it (unknown keys in "Poppy" are
        // errors). Keep the secret in a secret store / user secrets, or point EdgeRcPath at an .edgerc file.
        // "Poppy":  { "Flavors": { "global": { "Mode": "Mirror", "Providers": [ "akamai" ] } } },
        // "Akamai": { "EdgeRcPath": "~/.edgerc", "EdgeRcSection": "default",
        //             "ContractId": "ctr_C-1ABCDE", "GroupId": "grp_12345", "ProductId": "prd_Fresca",
        //             "NotifyEmails": [ "cdn-ops@example.com" ], "EdgeHostnameDomain": "edgekey.net" }
        #endregion
    }

    public static async Task AkamaiDirectAsync(ServiceSpec spec)
    {
        #region akamai-readme-direct
        var options = new AkamaiCdnProviderOptions
        {
            EdgeRcPath = "~/.edgerc",                        // or Host, ClientToken, ClientSecret, AccessToken
            ContractId = "ctr_C-1ABCDE", GroupId = "grp_12345", ProductId = "prd_Fresca",
            NotifyEmails = ["cdn-ops@example.com"],
        };
        var akamai = new AkamaiCdnProvider(AkamaiCdnProvider.CreateHttpClient(options), options);   // the client signs (EdgeGrid)
        ProviderPlan plan = akamai.PlanService(spec);                  // offline: the rule tree and hostnames, or every problem
        var operation = await akamai.CreateServiceAsync("shop", spec); // staging, then production: minutes
        ProviderServiceDetails details = await operation.WaitForCompletionAsync();
        await akamai.PurgeAsync(new ServiceReference("shop", details.VendorServiceId), PurgeRequest.ForTags("product-42"));
        #endregion
        _ = plan;
    }
}
