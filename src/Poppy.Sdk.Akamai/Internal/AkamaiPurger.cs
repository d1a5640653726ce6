using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Akamai.Internal;

/// <summary>
/// Fast Purge (CCU v3) for one call of the composite: checks the request, turns it into CCU objects (URLs, cache tags, or
/// the CP code), splits them into bodies under 50,000 bytes, takes the account's Fast Purge budget for all of them at once
/// (or refuses the call with <see cref="CdnRateLimitedException"/> and the wait), and sends them to the last activation
/// network. <c>invalidate</c> for soft purges, <c>delete</c> for hard ones.
/// </summary>
internal sealed class AkamaiPurger(AkamaiAccount account, AkamaiServiceReader reader, CdnCapabilities capabilities)
{
    /// <summary>The most items one call may carry.</summary>
    public const int MaxItemsPerCall = 500;

    /// <summary>Fast Purge's body limit, in bytes.</summary>
    public const int MaxBodyBytes = 50_000;

    /// <summary>The longest cache tag Akamai accepts.</summary>
    public const int MaxTagLength = 128;

    private readonly ConcurrentDictionary<string, ServiceTarget> _targets = new(StringComparer.Ordinal);

    private FastPurgeBudget Budget => FastPurgeBudget.For((account.Options.EffectiveBaseAddress()?.Authority ?? "") + "|" + account.Options.Credentials().ClientToken);

    public async Task<PurgeResult> PurgeAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken)
    {
        Check(request);
        var (type, objects, emulation) = await ObjectsAsync(service, request, cancellationToken).ConfigureAwait(false);
        var bodies = Bodies(type, objects);
        if (Budget.TryTake(type, bodies.Count, objects.Count, account.Time.GetUtcNow()) is { } refused)
        {
            AkamaiLog.PurgePaced(account.Logger, refused.Bucket, refused.Wait);
            throw new CdnRateLimitedException(account.Name, $"Akamai Fast Purge: the account's {refused.Bucket} budget is spent for now; {bodies.Count} request(s) of {objects.Count} {type} object(s) can go in {refused.Wait.TotalSeconds:0.###} s.", refused.Wait, 429, "fast_purge_budget");
        }

        var action = request.Mode == PurgeMode.Soft ? "invalidate" : "delete";
        var network = account.Options.PurgeNetwork;
        var batches = new List<PurgeBatchResult>();
        foreach (var (body, items) in bodies)
        {
            var response = await account.Api.Purge.SendAsync(action, type, network, body, items.Count, cancellationToken).ConfigureAwait(false);
            AkamaiLog.Purged(account.Logger, action, items.Count, type, network, response.PurgeId, response.EstimatedSeconds);
            batches.Add(new PurgeBatchResult(response.PurgeId, items, Completed: true));
        }

        return new PurgeResult
        {
            Provider = account.Name,
            Items = request.Items,
            VendorPurgeIds = [.. batches.Select(b => b.VendorPurgeId).OfType<string>()],
            Completed = true,
            Emulation = emulation,
            Batches = batches,
        };
    }

    private void Check(PurgeRequest request)
    {
        var problems = new List<ValidationProblem>();
        problems.AddRange(request.Validate());
        problems.AddRange(CapabilityChecker.CheckPurge(request, capabilities, account.Name));
        if (request.Items.Count > MaxItemsPerCall)
        {
            problems.Add(new ValidationProblem("/items", $"Akamai takes at most {MaxItemsPerCall} items per purge call; this one has {request.Items.Count}.") { Provider = account.Name });
        }

        if (request.Kind == PurgeKind.Tag)
        {
            for (var i = 0; i < request.Items.Count; i++)
            {
                var tag = request.Items[i];
                if (tag.Length > MaxTagLength || tag.Any(c => !(char.IsAsciiLetterOrDigit(c) || "!#$%'+./^_`|~-".Contains(c, StringComparison.Ordinal))))
                {
                    problems.Add(new ValidationProblem($"/items/{i}", $"'{tag}' is not an Akamai cache tag (at most {MaxTagLength} characters: letters, digits and !#$%'+./^_`|~-).") { Provider = account.Name });
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems, CdnValidationException.PurgeRequestSubject);
        }
    }

    private async Task<(string Type, IReadOnlyList<object> Objects, string? Emulation)> ObjectsAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken)
    {
        switch (request.Kind)
        {
            case PurgeKind.Tag:
                return ("tag", [.. request.Items], null);
            case PurgeKind.All when account.Options.CpCodeId is null:
                var target = await TargetAsync(service, withCpCode: true, cancellationToken).ConfigureAwait(false);
                return target.CpCode is { } cp
                    ? ("cpcode", [cp], "everything as the service's CP code")
                    : ("tag", [AkamaiTranslator.ServiceTag(service.ServiceId)], "everything as the service's cache tag");
            case PurgeKind.All:
                // The CP code is shared with other services: purge by the cache tag every object of this service carries.
                return ("tag", [AkamaiTranslator.ServiceTag(service.ServiceId)], "everything as the service's cache tag (the CP code is shared)");
            default:
                var urls = new List<object>();
                IReadOnlyList<string>? domains = null;
                foreach (var item in request.Items)
                {
                    if (item.StartsWith('/'))
                    {
                        domains ??= (await TargetAsync(service, withCpCode: false, cancellationToken).ConfigureAwait(false)).Domains;
                        urls.AddRange(domains.Select(d => (object)("https://" + d + item)));
                    }
                    else
                    {
                        urls.Add(item);
                    }
                }

                return ("url", urls, null);
        }
    }

    private async Task<ServiceTarget> TargetAsync(ServiceReference service, bool withCpCode, CancellationToken cancellationToken)
    {
        if (_targets.TryGetValue(service.ServiceId, out var cached))
        {
            if (withCpCode && cached.CpCode is null)
            {
                cached = cached with { CpCode = await account.Api.CpCodes.FindAsync(AkamaiTranslator.PropertyName(service.ServiceId), cancellationToken).ConfigureAwait(false) };
                _targets[service.ServiceId] = cached;
            }

            return cached;
        }

        var property = await reader.FindAsync(service, cancellationToken).ConfigureAwait(false) ?? throw account.NotFound(service.ServiceId);
        var version = reader.ShownVersion(property);
        var hostnames = await account.Api.Versions.GetHostnamesAsync(property.PropertyId!, version, cancellationToken).ConfigureAwait(false);
        var cpCode = withCpCode ? await account.Api.CpCodes.FindAsync(AkamaiTranslator.PropertyName(service.ServiceId), cancellationToken).ConfigureAwait(false) : null;
        var target = new ServiceTarget([.. (hostnames.Hostnames?.Items ?? []).Select(h => h.CnameFrom)], cpCode);
        _targets[service.ServiceId] = target;
        return target;
    }

    /// <summary>The objects as CCU bodies, each under <see cref="MaxBodyBytes"/>.</summary>
    private static List<(string Body, IReadOnlyList<string> Items)> Bodies(string type, IReadOnlyList<object> objects)
    {
        var bodies = new List<(string, IReadOnlyList<string>)>();
        var current = new List<object>();
        var size = Envelope;
        foreach (var o in objects)
        {
            var length = Encoding.UTF8.GetByteCount(Json(o)) + 1;
            if (current.Count > 0 && size + length > MaxBodyBytes)
            {
                bodies.Add(Body(type, current));
                current = [];
                size = Envelope;
            }

            current.Add(o);
            size += length;
        }

        if (current.Count > 0)
        {
            bodies.Add(Body(type, current));
        }

        return bodies;
    }

    private const int Envelope = 14; // {"objects":[]}

    private static (string, IReadOnlyList<string>) Body(string type, List<object> objects) => type == "cpcode"
        ? (JsonSerializer.Serialize(new PurgeCpCodesRequest([.. objects.Cast<long>()]), AkamaiJsonContext.Default.PurgeCpCodesRequest), [.. objects.Select(o => ((long)o).ToString(System.Globalization.CultureInfo.InvariantCulture))])
        : (JsonSerializer.Serialize(new PurgeUrlsRequest([.. objects.Cast<string>()]), AkamaiJsonContext.Default.PurgeUrlsRequest), [.. objects.Cast<string>()]);

    private static string Json(object o) => o is long n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : JsonSerializer.Serialize((string)o, AkamaiJsonContext.Default.String);

    private sealed record ServiceTarget(IReadOnlyList<string> Domains, long? CpCode);
}
