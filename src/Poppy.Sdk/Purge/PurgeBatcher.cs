namespace Poppy.Sdk.Purge;

/// <summary>Splits a neutral purge request into vendor-sized batches.</summary>
internal static class PurgeBatcher
{
    public static IReadOnlyList<PurgeRequest> Split(PurgeRequest request, int size)
    {
        size = Math.Max(1, size);
        if (request.Kind == PurgeKind.All || request.Items.Count <= size)
        {
            return new[] { request };
        }

        var batches = new List<PurgeRequest>((request.Items.Count + size - 1) / size);
        for (var i = 0; i < request.Items.Count; i += size)
        {
            var n = Math.Min(size, request.Items.Count - i);
            var items = new string[n];
            for (var j = 0; j < n; j++)
            {
                items[j] = request.Items[i + j];
            }

            batches.Add(request with { Items = items });
        }

        return batches;
    }
}
