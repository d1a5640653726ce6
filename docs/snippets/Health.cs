using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Poppy.Sdk.Docs.Snippets;

/// <summary>docs/composite.md, health checks.</summary>
internal static class CompositeHealth
{
    public static async Task RegisterAsync(HostApplicationBuilder builder)
    {
        #region composite-health-register
        builder.Services.AddPoppy(builder.Configuration)
            .AddFastly(builder.Configuration.GetSection("Fastly"))
            .AddCloudFront(builder.Configuration.GetSection("CloudFront"))
            .AddHealthChecks(tags: ["ready"]);        // checks "poppy:fastly" and "poppy:cloudfront"

        // or, beside your other checks: builder.Services.AddHealthChecks().AddPoppy(tags: ["ready"]);
        // ASP.NET Core: app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        #endregion

        using var app = builder.Build();
        #region composite-health-report
        HealthReport report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        foreach (var (name, entry) in report.Entries)
        {
            Console.WriteLine($"{name}: {entry.Status} {entry.Description}");
            // poppy:fastly: Healthy Provider 'fastly' answered an authenticated read.
            // poppy:cloudfront: Degraded The circuit for provider 'cloudfront' is open after repeated failures; ...
        }
        #endregion
    }
}
