namespace Poppy.Sdk.Operations;

/// <summary>
/// One async gate per key, held only while in use: a key's gate is dropped when its last holder or waiter leaves, so
/// the table never grows beyond the work in flight.
/// </summary>
internal sealed class KeyedGate
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Waits for the key's gate; dispose the result to let the next waiter in.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The held gate.</returns>
    public async ValueTask<Holder> EnterAsync(string key, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new Entry();
                _entries[key] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, entry, release: false);
            throw;
        }

        return new Holder(this, key, entry);
    }

    /// <summary>How many keys have a gate now (for tests).</summary>
    internal int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    private void Leave(string key, Entry entry, bool release)
    {
        if (release)
        {
            entry.Gate.Release();
        }

        lock (_entries)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(key);
                entry.Gate.Dispose();
            }
        }
    }

    /// <summary>A held gate.</summary>
    public readonly struct Holder : IDisposable
    {
        private readonly KeyedGate _owner;
        private readonly string _key;
        private readonly Entry _entry;

        internal Holder(KeyedGate owner, string key, Entry entry)
        {
            _owner = owner;
            _key = key;
            _entry = entry;
        }

        /// <summary>Lets the next waiter in.</summary>
        public void Dispose() => _owner?.Leave(_key, _entry, release: true);
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
