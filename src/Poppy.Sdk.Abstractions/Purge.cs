namespace Poppy.Sdk;

/// <summary>What a purge targets.</summary>
public enum PurgeKind
{
    /// <summary>Full URLs (<c>https://www.example.com/a.png</c>) or paths (<c>/a.png</c>, purged on every domain).</summary>
    Url = 0,

    /// <summary>Everything under path prefixes (<c>/images/</c>).</summary>
    Prefix = 1,

    /// <summary>Tags: surrogate keys or cache tags.</summary>
    Tag = 2,

    /// <summary>Everything served for host names.</summary>
    Host = 3,

    /// <summary>Everything in the service.</summary>
    All = 4,
}

/// <summary>Evict (hard) or mark stale (soft).</summary>
public enum PurgeMode
{
    /// <summary>Remove the objects (the default).</summary>
    Hard = 0,

    /// <summary>Mark the objects stale so they revalidate.</summary>
    Soft = 1,
}

/// <summary>A vendor-neutral purge request.</summary>
public sealed record PurgeRequest
{
    /// <summary>What to purge.</summary>
    public PurgeKind Kind { get; init; }

    /// <summary>The URLs, prefixes, tags or hosts; empty for <see cref="PurgeKind.All"/>.</summary>
    public IReadOnlyList<string> Items { get; init; } = [];

    /// <summary>Hard (the default) or soft.</summary>
    public PurgeMode Mode { get; init; } = PurgeMode.Hard;

    /// <summary>
    /// A key that makes a retried batch idempotent where the vendor supports it (CloudFront uses it as the
    /// invalidation's <c>CallerReference</c>, so a resubmitted batch is not invalidated twice). The composite
    /// client's purge operation sets one per batch; null lets the provider derive its own.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Purges URLs or paths.</summary>
    /// <param name="urls">Full URLs or paths beginning with <c>/</c>.</param>
    /// <returns>The request.</returns>
    public static PurgeRequest ForUrls(params IReadOnlyList<string> urls) => new() { Kind = PurgeKind.Url, Items = urls };

    /// <summary>Purges everything under path prefixes.</summary>
    /// <param name="prefixes">Paths beginning with <c>/</c>.</param>
    /// <returns>The request.</returns>
    public static PurgeRequest ForPrefixes(params IReadOnlyList<string> prefixes) => new() { Kind = PurgeKind.Prefix, Items = prefixes };

    /// <summary>Purges by tag (surrogate key, cache tag).</summary>
    /// <param name="tags">The tags.</param>
    /// <returns>The request.</returns>
    public static PurgeRequest ForTags(params IReadOnlyList<string> tags) => new() { Kind = PurgeKind.Tag, Items = tags };

    /// <summary>Purges everything on host names.</summary>
    /// <param name="hosts">Host names of the service's domains.</param>
    /// <returns>The request.</returns>
    public static PurgeRequest ForHosts(params IReadOnlyList<string> hosts) => new() { Kind = PurgeKind.Host, Items = hosts };

    /// <summary>Purges the whole service.</summary>
    /// <returns>The request.</returns>
    public static PurgeRequest ForEverything() => new() { Kind = PurgeKind.All };

    /// <summary>Returns a copy in soft mode.</summary>
    /// <returns>The request.</returns>
    public PurgeRequest AsSoft() => this with { Mode = PurgeMode.Soft };

    /// <summary>Checks the request on its own (not against a provider): items present and well formed.</summary>
    /// <returns>Every problem, with paths like <c>/items/3</c>.</returns>
    public IReadOnlyList<ValidationProblem> Validate()
    {
        List<ValidationProblem>? problems = null; // allocated only when something is wrong (the common request is valid)
        if (Kind == PurgeKind.All)
        {
            if (Items.Count != 0)
            {
                (problems ??= []).Add(new("/items", "A purge of everything takes no items."));
            }

            return problems ?? (IReadOnlyList<ValidationProblem>)Array.Empty<ValidationProblem>();
        }

        if (Items.Count == 0)
        {
            (problems ??= []).Add(new("/items", $"A {Kind.ToString().ToLowerInvariant()} purge needs at least one item."));
        }

        for (var i = 0; i < Items.Count; i++)
        {
            var item = Items[i];
            if (string.IsNullOrWhiteSpace(item))
            {
                (problems ??= []).Add(new($"/items/{i}", "An item is empty."));
                continue;
            }

            if (HasControlOrSpace(item))
            {
                (problems ??= []).Add(new($"/items/{i}", "An item may not contain spaces or control characters."));
                continue;
            }

            switch (Kind)
            {
                case PurgeKind.Url when !item.StartsWith('/') && !(Uri.TryCreate(item, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)):
                    (problems ??= []).Add(new($"/items/{i}", $"'{item}' is neither a path starting with '/' nor an http(s) URL."));
                    break;
                case PurgeKind.Prefix when !item.StartsWith('/'):
                    (problems ??= []).Add(new($"/items/{i}", $"The prefix '{item}' must start with '/'."));
                    break;
                case PurgeKind.Host when Uri.CheckHostName(item) != UriHostNameType.Dns:
                    (problems ??= []).Add(new($"/items/{i}", $"'{item}' is not a host name."));
                    break;
                case PurgeKind.Tag when item.Length > 1024:
                    (problems ??= []).Add(new($"/items/{i}", "A tag may be at most 1024 characters."));
                    break;
            }
        }

        return problems ?? (IReadOnlyList<ValidationProblem>)Array.Empty<ValidationProblem>();
    }

    private static bool HasControlOrSpace(string item)
    {
        foreach (var c in item)
        {
            if (c == ' ' || char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The outcome of one purge call on one provider (one vendor batch).</summary>
public sealed record PurgeResult
{
    /// <summary>The provider's name.</summary>
    public required string Provider { get; init; }

    /// <summary>The items this call carried.</summary>
    public IReadOnlyList<string> Items { get; init; } = [];

    /// <summary>The vendor's purge or invalidation id(s), when it returns one.</summary>
    public IReadOnlyList<string> VendorPurgeIds { get; init; } = [];

    /// <summary>Whether the vendor finished the purge (false when it is still propagating, e.g. a CloudFront invalidation in progress).</summary>
    public bool Completed { get; init; } = true;

    /// <summary>How the request was carried out when the vendor lacks the exact kind (e.g. "prefix as wildcard path"); null when native.</summary>
    public string? Emulation { get; init; }

    /// <summary>
    /// The vendor requests this call was split into (a provider splits a call when the vendor limits what one
    /// request may carry, for example CloudFront's 15 wildcard paths in flight); empty when the provider does
    /// not report them.
    /// </summary>
    public IReadOnlyList<PurgeBatchResult> Batches { get; init; } = [];

    /// <summary>
    /// When <see cref="Completed"/> is false: an operation that completes once the vendor reports every batch
    /// done (poll it, or call <see cref="CdnOperationExtensions.WaitForCompletionAsync(CdnOperation, CancellationToken)"/>); null when
    /// the purge is already complete or the vendor gives no way to follow it.
    /// </summary>
    public CdnOperation? Completion { get; init; }
}

/// <summary>One vendor request of a purge.</summary>
/// <param name="VendorPurgeId">The vendor's id for it (a CloudFront invalidation id, for example), when it gives one.</param>
/// <param name="Items">The items it carried, as sent to the vendor.</param>
/// <param name="Completed">Whether the vendor reported it done when the call returned.</param>
public sealed record PurgeBatchResult(string? VendorPurgeId, IReadOnlyList<string> Items, bool Completed);
