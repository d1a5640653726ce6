namespace Poppy.Sdk.Akamai.Internal;

/// <summary>
/// Applies a plan. Create: find the property by its stamped name first (a retried create converges, never duplicates); the
/// CP code and edge hostname, found by name before they are created; the property; then the rules and hostnames of its
/// first version. Update: a new version from the active one (<c>createFromVersionEtag</c>), or the latest version itself
/// when it was never activated; then its rules and hostnames with <c>If-Match</c> (412: re-read and retry once; 409
/// "resource busy": wait and retry once). Activation is the operation's (<see cref="AkamaiActivation"/>).
/// </summary>
internal sealed class AkamaiServiceWriter(AkamaiAccount account, AkamaiServiceReader reader)
{
    /// <summary>Creates (or converges) the service's property; returns it and the version to activate.</summary>
    public async Task<(string PropertyId, int Version)> CreateAsync(string serviceId, AkamaiPlan plan, CancellationToken cancellationToken)
    {
        var existing = await reader.FindAsync(new ServiceReference(serviceId), cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            AkamaiLog.Converging(account.Logger, serviceId, existing.PropertyId!);
            return await UpdateAsync(serviceId, existing, plan, cancellationToken).ConfigureAwait(false);
        }

        AkamaiLog.Creating(account.Logger, serviceId, plan.PropertyName);
        var cpCode = await CpCodeAsync(plan, cancellationToken).ConfigureAwait(false);
        if (await account.Api.EdgeHostnames.FindAsync(plan.EdgeHostname, cancellationToken).ConfigureAwait(false) is null)
        {
            await account.Api.EdgeHostnames.CreateAsync(plan.EdgeHostnamePrefix, cancellationToken).ConfigureAwait(false);
        }

        var propertyId = await account.Api.Properties.CreateAsync(plan.PropertyName, cancellationToken).ConfigureAwait(false);
        await EditAsync(propertyId, 1, plan, cpCode, cancellationToken).ConfigureAwait(false);
        return (propertyId, 1);
    }

    /// <summary>Puts the plan on a new version of the property; returns the version to activate.</summary>
    public async Task<(string PropertyId, int Version)> UpdateAsync(string serviceId, PropertyItem property, AkamaiPlan plan, CancellationToken cancellationToken)
    {
        account.RequireOwned(serviceId, property);
        var propertyId = property.PropertyId!;
        var latest = await account.Api.Versions.GetAsync(propertyId, property.LatestVersion, cancellationToken).ConfigureAwait(false);
        int version;
        if (property.LatestVersion > (property.StagingVersion ?? 0) && property.LatestVersion > (property.ProductionVersion ?? 0)
            && latest.StagingStatus is null or "INACTIVE" && latest.ProductionStatus is null or "INACTIVE")
        {
            // The latest version was never activated (a create or update whose activation never started): edit it in place.
            version = property.LatestVersion;
        }
        else
        {
            var from = reader.ShownVersion(property);
            var source = from == latest.PropertyVersion ? latest : await account.Api.Versions.GetAsync(propertyId, from, cancellationToken).ConfigureAwait(false);
            version = await account.BusyRetryAsync(propertyId, () => account.Api.Versions.CreateAsync(propertyId, from, source.Etag ?? "", cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        var cpCode = await CpCodeAsync(plan, cancellationToken).ConfigureAwait(false);
        await EditAsync(propertyId, version, plan, cpCode, cancellationToken).ConfigureAwait(false);
        return (propertyId, version);
    }

    private async Task<long> CpCodeAsync(AkamaiPlan plan, CancellationToken cancellationToken)
    {
        if (account.Options.CpCodeId is { } given)
        {
            return given;
        }

        return await account.Api.CpCodes.FindAsync(plan.PropertyName, cancellationToken).ConfigureAwait(false)
            ?? await account.Api.CpCodes.CreateAsync(plan.PropertyName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PUTs the rules and then the hostnames of a version, each with the etag just read (412: re-read once).</summary>
    private async Task EditAsync(string propertyId, int version, AkamaiPlan plan, long cpCode, CancellationToken cancellationToken)
    {
        var versions = account.Api.Versions;
        var rules = plan.RulesRequest(cpCode);
        var etag = (await versions.GetRulesAsync(propertyId, version, cancellationToken).ConfigureAwait(false)).Etag ?? "";
        string? afterRules;
        try
        {
            afterRules = await account.BusyRetryAsync(propertyId, () => versions.PutRulesAsync(propertyId, version, etag, rules, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (CdnRequestFailedException e) when (e.Status == 412)
        {
            AkamaiLog.PreconditionRetry(account.Logger, propertyId, version);
            etag = (await versions.GetRulesAsync(propertyId, version, cancellationToken).ConfigureAwait(false)).Etag ?? "";
            afterRules = await account.BusyRetryAsync(propertyId, () => versions.PutRulesAsync(propertyId, version, etag, plan.RulesRequest(cpCode), cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        etag = afterRules ?? (await versions.GetAsync(propertyId, version, cancellationToken).ConfigureAwait(false)).Etag ?? "";
        try
        {
            await account.BusyRetryAsync(propertyId, () => versions.PutHostnamesAsync(propertyId, version, etag, plan.Hostnames, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (CdnRequestFailedException e) when (e.Status == 412)
        {
            AkamaiLog.PreconditionRetry(account.Logger, propertyId, version);
            etag = (await versions.GetAsync(propertyId, version, cancellationToken).ConfigureAwait(false)).Etag ?? "";
            await account.BusyRetryAsync(propertyId, () => versions.PutHostnamesAsync(propertyId, version, etag, plan.Hostnames, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }
}
