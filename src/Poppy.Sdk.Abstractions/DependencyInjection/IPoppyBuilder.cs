using Microsoft.Extensions.DependencyInjection.Extensions;
using Poppy.Sdk;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures Poppy.Sdk: returned by <c>services.AddPoppy()</c>; vendor packages add their providers to it.</summary>
public interface IPoppyBuilder
{
    /// <summary>The service collection being configured.</summary>
    IServiceCollection Services { get; }
}

/// <summary>
/// Returned by a vendor's <c>AddFastly()</c>, <c>AddCloudFront()</c>, …: the Poppy builder (so calls chain) plus the
/// provider just added, with the name of its <see cref="HttpClient"/>, so an application can add its own handlers:
/// <c>services.AddHttpClient(builder.HttpClientName).AddHttpMessageHandler(...)</c>.
/// </summary>
public interface IPoppyProviderBuilder : IPoppyBuilder
{
    /// <summary>The provider's registered name.</summary>
    string ProviderName { get; }

    /// <summary>The name of the provider's named <see cref="HttpClient"/>; null for providers that make no HTTP calls.</summary>
    string? HttpClientName { get; }
}

/// <summary>The default <see cref="IPoppyProviderBuilder"/>.</summary>
/// <param name="Services">The service collection.</param>
/// <param name="ProviderName">The provider's registered name.</param>
/// <param name="HttpClientName">The name of its <see cref="HttpClient"/>, if it has one.</param>
public sealed record PoppyProviderBuilder(IServiceCollection Services, string ProviderName, string? HttpClientName) : IPoppyProviderBuilder;

/// <summary>A provider registered with Poppy under a name.</summary>
/// <param name="Name">The provider's name, unique in the application.</param>
public sealed record CdnProviderRegistration(string Name);

/// <summary>Provider registration for vendor packages.</summary>
public static class PoppyBuilderProviderExtensions
{
    /// <summary>
    /// Registers a provider under <paramref name="name"/> (a keyed singleton <see cref="ICdnProvider"/>).
    /// Registering the same name twice keeps the first, so this is safe to call twice.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The provider's name (letters, digits, '-', '_').</param>
    /// <param name="factory">Creates the provider.</param>
    /// <returns>The builder.</returns>
    public static IPoppyBuilder AddProvider(this IPoppyBuilder builder, string name, Func<IServiceProvider, ICdnProvider> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        ValidateName(name);
        if (builder.Services.Any(d => d.ServiceType == typeof(CdnProviderRegistration) && d.ImplementationInstance is CdnProviderRegistration r && r.Name == name))
        {
            return builder;
        }

        builder.Services.AddSingleton(new CdnProviderRegistration(name));
        builder.Services.TryAddKeyedSingleton<ICdnProvider>(name, (sp, _) => factory(sp));
        return builder;
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"Provider name '{name}' must be 1–64 characters of letters, digits, '-' or '_'.", nameof(name));
        }
    }
}
