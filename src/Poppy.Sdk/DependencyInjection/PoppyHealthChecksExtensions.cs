using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Poppy.Sdk;
using Poppy.Sdk.Health;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Health checks for the providers registered with Poppy: one check per provider, named
/// <c>poppy:&lt;provider&gt;</c>, that reports Degraded while the provider's circuit is open (without calling
/// it) and otherwise makes the provider's cheapest authenticated read (<see cref="ICdnProvider.VerifyAccessAsync"/>).
/// </summary>
public static class PoppyHealthChecksExtensions
{
    /// <summary>The prefix of the checks' names: <c>poppy:fastly</c>, <c>poppy:cloudfront</c>.</summary>
    public const string NamePrefix = "poppy:";

    /// <summary>
    /// Adds ASP.NET Core / generic-host health checks (<c>services.AddHealthChecks()</c>) with one check per
    /// provider registered with Poppy, whenever it is registered. Safe to call twice.
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="failureStatus">The status reported when the vendor's answer is an error; <see cref="HealthStatus.Unhealthy"/> when null.</param>
    /// <param name="tags">Tags of every check, to filter them (<c>/health/ready</c>).</param>
    /// <returns>The Poppy builder.</returns>
    public static IPoppyBuilder AddHealthChecks(this IPoppyBuilder builder, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().AddPoppy(failureStatus, tags);
        return builder;
    }

    /// <summary>
    /// Adds one check per provider registered with Poppy (<c>AddPoppy().AddFastly()…</c>, before or after this
    /// call), named <c>poppy:&lt;provider&gt;</c>. Safe to call twice.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="failureStatus">The status reported when the vendor's answer is an error; <see cref="HealthStatus.Unhealthy"/> when null.</param>
    /// <param name="tags">Tags of every check.</param>
    /// <returns>The health checks builder.</returns>
    public static IHealthChecksBuilder AddPoppy(this IHealthChecksBuilder builder, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(PoppyHealthChecksMarker)))
        {
            return builder;
        }

        var tagList = tags?.ToArray() ?? [];
        builder.Services.AddSingleton<PoppyHealthChecksMarker>();

        // Providers may be added after this call: the checks are listed when the health check options are built.
        builder.Services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(sp => new ConfigureOptions<HealthCheckServiceOptions>(options =>
        {
            foreach (var name in sp.GetServices<CdnProviderRegistration>().Select(r => r.Name).Distinct(StringComparer.Ordinal))
            {
                options.Registrations.Add(new HealthCheckRegistration(
                    NamePrefix + name,
                    services => new PoppyProviderHealthCheck(services.GetRequiredService<PoppyClient>(), name),
                    failureStatus,
                    tagList));
            }
        }));
        return builder;
    }

    private sealed class PoppyHealthChecksMarker;
}
