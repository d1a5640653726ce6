using System.Globalization;

namespace Poppy.Sdk.Emulator.Fastly;

/// <summary>
/// What the emulated Fastly holds: services with their versions and objects, ACL entries, purges, the
/// hourly write budget. One lock (<see cref="Gate"/>) guards it all; endpoints take it around each
/// read or change.
/// </summary>
internal sealed class FastlyState(FastlyEmulatorOptions options, TimeProvider time)
{
    private long _nextId;
    private long _rateWindow = -1;
    private int _rateUsed;

    /// <summary>The lock every read and change of the state takes.</summary>
    public object Gate { get; } = new();

    /// <summary>The options (credentials, limits).</summary>
    public FastlyEmulatorOptions Options { get; } = options;

    /// <summary>The emulator's clock.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>The services by id.</summary>
    public Dictionary<string, FastlyService> Services { get; } = new(StringComparer.Ordinal);

    /// <summary>Every purge accepted, in order.</summary>
    public List<FastlyPurgeRecord> Purges { get; } = [];

    /// <summary>Runs <paramref name="action"/> under the lock.</summary>
    public T Locked<T>(Func<T> action)
    {
        lock (Gate)
        {
            return action();
        }
    }

    /// <summary>A service, or Fastly's 404. Call under the lock.</summary>
    public FastlyService Get(string id) => Services.GetValueOrDefault(id) ?? throw FastlyError.NotFound($"Cannot find service '{id}'");

    /// <summary>A version of a service, or Fastly's 404. Call under the lock.</summary>
    public static FastlyVersion GetVersion(FastlyService service, int number) =>
        service.Version(number) ?? throw FastlyError.NotFound($"Cannot find version {number} of service '{service.Id}'");

    /// <summary>A version that may be edited: neither active nor locked. Call under the lock.</summary>
    public static FastlyVersion Editable(FastlyService service, int number)
    {
        var v = GetVersion(service, number);
        if (v.Active || v.Locked)
        {
            throw FastlyError.BadRequest($"Version {number} of service '{service.Id}' is {(v.Active ? "active" : "locked")} and cannot be edited; clone it first.");
        }

        return v;
    }

    /// <summary>A new id in Fastly's shape (22 alphanumeric characters).</summary>
    public string NewId()
    {
        lock (Gate)
        {
            var n = ++_nextId;
            return "emu" + n.ToString("D6", CultureInfo.InvariantCulture) + Convert.ToHexString(BitConverter.GetBytes(n * 2654435761L))[..13].ToLowerInvariant();
        }
    }

    /// <summary>Records a purge and returns its id.</summary>
    public string RecordPurge(string kind, string target, bool soft)
    {
        lock (Gate)
        {
            var id = "purge-" + (++_nextId).ToString("x8", CultureInfo.InvariantCulture);
            Purges.Add(new FastlyPurgeRecord(kind, target, soft, id));
            return id;
        }
    }

    /// <summary>Takes one call from the hourly budget of non-read calls.</summary>
    /// <returns>What remains after this call, or -1 when the budget was already spent.</returns>
    public int TakeFromBudget()
    {
        var window = Time.GetUtcNow().ToUnixTimeSeconds() / 3600;
        lock (Gate)
        {
            if (window != _rateWindow)
            {
                _rateWindow = window;
                _rateUsed = 0;
            }

            if (_rateUsed >= Options.HourlyRateLimit)
            {
                return -1;
            }

            _rateUsed++;
            return Options.HourlyRateLimit - _rateUsed;
        }
    }

    /// <summary>Forgets every service and purge, and the budget spent.</summary>
    public void Reset()
    {
        lock (Gate)
        {
            Services.Clear();
            Purges.Clear();
            _rateUsed = 0;
        }
    }
}

/// <summary>A service held by the emulated Fastly.</summary>
internal sealed class FastlyService(string id, string name, string comment, string type, DateTimeOffset created)
{
    public string Id { get; } = id;

    public string Name { get; set; } = name;

    public string Comment { get; set; } = comment;

    public string Type { get; } = type;

    public DateTimeOffset Created { get; } = created;

    public DateTimeOffset Updated { get; set; } = created;

    public List<FastlyVersion> Versions { get; } = [];

    /// <summary>ACL entries by ACL id, then entry id (versionless, as at Fastly).</summary>
    public Dictionary<string, Dictionary<string, Dictionary<string, string>>> AclEntries { get; } = new(StringComparer.Ordinal);

    public FastlyVersion? Version(int number) => number >= 1 && number <= Versions.Count ? Versions[number - 1] : null;
}

/// <summary>A version of a service: its objects by kind and name, and its settings.</summary>
internal sealed class FastlyVersion(int number)
{
    public int Number { get; } = number;

    public bool Active { get; set; }

    public bool Locked { get; set; }

    public bool Deployed { get; set; }

    public string Comment { get; set; } = "";

    public Dictionary<string, Dictionary<string, Dictionary<string, string>>> Objects { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Dictionary<string, string>> Kind(string kind)
    {
        if (!Objects.TryGetValue(kind, out var objects))
        {
            Objects[kind] = objects = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        }

        return objects;
    }

    public List<Dictionary<string, string>> List(string kind) => Objects.TryGetValue(kind, out var o) ? [.. o.Values] : [];

    public FastlyVersion CloneAs(int number)
    {
        var copy = new FastlyVersion(number) { Comment = Comment };
        foreach (var (kind, objects) in Objects)
        {
            var target = copy.Kind(kind);
            foreach (var (name, fields) in objects)
            {
                target[name] = new Dictionary<string, string>(fields, StringComparer.Ordinal);
            }
        }

        foreach (var (k, v) in Settings)
        {
            copy.Settings[k] = v;
        }

        return copy;
    }
}
