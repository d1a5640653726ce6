using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Poppy.Sdk.Health;

/// <summary>
/// The health of one registered provider, as the composite client sees it: <see cref="HealthStatus.Degraded"/>
/// while its circuit is open (no call is made: the circuit refuses calls), otherwise the result of the cheapest
/// authenticated read (<see cref="ICdnProvider.VerifyAccessAsync"/>) through the client's resilience layer —
/// <see cref="HealthStatus.Healthy"/> when the vendor answered, <see cref="HealthStatus.Degraded"/> when it asked
/// to slow down, the registration's failure status (default <see cref="HealthStatus.Unhealthy"/>) with the mapped
/// error's message otherwise. Messages come from the SDK's errors, which never carry credentials.
/// </summary>
internal sealed class PoppyProviderHealthCheck(PoppyClient client, string provider) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var layer = client.ProviderLayer(provider);
        if (layer.RefusesCalls)
        {
            return new HealthCheckResult(
                HealthStatus.Degraded,
                $"The circuit for provider '{provider}' is open after repeated failures; calls are refused until it closes (no call was made).",
                data: Data(("circuit", "open")));
        }

        try
        {
            await layer.VerifyAccessAsync(cancellationToken).ConfigureAwait(false);
            return new HealthCheckResult(HealthStatus.Healthy, $"Provider '{provider}' answered an authenticated read.", data: Data(("circuit", "closed")));
        }
        catch (CdnRateLimitedException limited)
        {
            return new HealthCheckResult(HealthStatus.Degraded, limited.Message, data: Data(("code", limited.ErrorCode.ToString())));
        }
        catch (CdnRequestFailedException failed)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                failed.Message,
                data: Data(("code", failed.ErrorCode.ToString()), ("status", failed.Status?.ToString(CultureInfo.InvariantCulture) ?? "")));
        }
    }

    private IReadOnlyDictionary<string, object> Data(params (string Key, string Value)[] entries)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["provider"] = provider };
        foreach (var (key, value) in entries)
        {
            data[key] = value;
        }

        return data;
    }
}
