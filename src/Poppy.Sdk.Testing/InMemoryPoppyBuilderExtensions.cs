using Microsoft.Extensions.DependencyInjection;

namespace Poppy.Sdk.Testing;

/// <summary>Registers in-memory providers with Poppy.</summary>
public static class InMemoryPoppyBuilderExtensions
{
    /// <summary>
    /// Adds an <see cref="InMemoryCdnProvider"/> named <paramref name="name"/>. Its clock is the
    /// registered <see cref="TimeProvider"/> unless <paramref name="configure"/> sets one.
    /// </summary>
    /// <param name="builder">The Poppy builder.</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>A builder carrying the provider's name (it makes no HTTP calls, so <see cref="IPoppyProviderBuilder.HttpClientName"/> is null); it is also the Poppy builder, so calls chain.</returns>
    public static IPoppyProviderBuilder AddInMemoryProvider(this IPoppyBuilder builder, string name = "memory", Action<InMemoryCdnProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddProvider(name, sp =>
        {
            var options = new InMemoryCdnProviderOptions { TimeProvider = sp.GetService<TimeProvider>() ?? TimeProvider.System };
            configure?.Invoke(options);
            options.Name = name;
            return new InMemoryCdnProvider(options);
        });
        return new PoppyProviderBuilder(builder.Services, name, HttpClientName: null);
    }
}
