namespace Poppy.Sdk.Fastly.Internal;

/// <summary>A domain attached to a service version.</summary>
internal sealed record DomainObject(string Name);

/// <summary>A backend (origin) of a service version, with the fields Poppy manages.</summary>
internal sealed record BackendObject(
    string Name,
    string Address,
    int Port,
    bool UseSsl,
    string? SslCertHostname,
    string? SslSniHostname,
    string? OverrideHost,
    string? RequestCondition);

/// <summary>A VCL condition (<c>REQUEST</c> or <c>CACHE</c>).</summary>
internal sealed record ConditionObject(string Name, string Type, string Statement, int Priority);

/// <summary>A cache settings object: the TTL and action applied when its cache condition holds.</summary>
internal sealed record CacheSettingObject(string Name, int Ttl, string Action, string? CacheCondition);

/// <summary>A synthetic response served when its request condition holds.</summary>
internal sealed record ResponseObject(string Name, int Status, string Response, string Content, string ContentType, string? RequestCondition);

/// <summary>One IP or network in an ACL.</summary>
internal sealed record AclEntryObject(string Ip, int? Subnet, bool Negated)
{
    /// <summary>The entry as CIDR text (<c>203.0.113.0/24</c>, or the bare address without a subnet).</summary>
    public string ToCidr() => Subnet is { } s ? $"{Ip}/{s}" : Ip;
}

/// <summary>An ACL with its entries (entries are versionless in Fastly and belong to the ACL's id).</summary>
internal sealed record AclObject(string Name, IReadOnlyList<AclEntryObject> Entries)
{
    /// <summary>Compares name and entries (as a set).</summary>
    public bool Equals(AclObject? other) =>
        other is not null && Name == other.Name && Entries.Count == other.Entries.Count && !Entries.Except(other.Entries).Any();

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Entries.Count);
}

/// <summary>
/// The objects of one service version that Poppy manages: what the translator wants (desired) or
/// what was read back from Fastly (actual). Object names are stable (<c>poppy-origin-0</c>,
/// <c>poppy-cache-1</c>, <c>poppy_acl_0</c>, …) so that two configurations can be compared object by object.
/// </summary>
internal sealed record FastlyConfig
{
    public IReadOnlyList<DomainObject> Domains { get; init; } = [];

    public IReadOnlyList<BackendObject> Backends { get; init; } = [];

    public IReadOnlyList<ConditionObject> Conditions { get; init; } = [];

    public IReadOnlyList<CacheSettingObject> CacheSettings { get; init; } = [];

    public IReadOnlyList<ResponseObject> ResponseObjects { get; init; } = [];

    public IReadOnlyList<AclObject> Acls { get; init; } = [];

    /// <summary>The <c>general.default_ttl</c> setting; null leaves Fastly's default.</summary>
    public int? DefaultTtl { get; init; }

    /// <summary>The version comment: Poppy's manifest of the neutral spec (names and order Fastly does not keep).</summary>
    public string? VersionComment { get; init; }
}

/// <summary>What <see cref="FastlyTranslator.Translate"/> made of a spec: the objects, or every problem (never both).</summary>
/// <param name="Config">The objects; null when there are problems.</param>
/// <param name="Problems">Every problem, each with its path and remedy.</param>
internal sealed record FastlyTranslation(FastlyConfig? Config, IReadOnlyList<ValidationProblem> Problems);
