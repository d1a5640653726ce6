using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Poppy.Sdk.Docs.Snippets;

/// <summary>docs/telemetry.md.</summary>
internal static class TelemetryDoc
{
    public static void Wire(HostApplicationBuilder builder)
    {
        #region telemetry-opentelemetry
        builder.Services.AddPoppy(builder.Configuration)
            .AddFastly(builder.Configuration.GetSection("Fastly"));

        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .AddSource(PoppyTelemetry.Name)               // activities: poppy.provider.call
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddMeter(PoppyTelemetry.Name)                // poppy.provider.calls, poppy.provider.call.duration, …
                .AddMeter("Polly")                            // optional: the resilience events of the vendors' HttpClients and the breakers
                .AddOtlpExporter());
        #endregion
    }
}
