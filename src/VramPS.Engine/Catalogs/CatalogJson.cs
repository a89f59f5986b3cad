using System.IO;
using System.Reflection;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace VramPS.Engine
{
    /// <summary>Reads the catalogs' JSON (camelCase properties, enums by name).</summary>
    internal static class CatalogJson
    {
        public static readonly JsonSerializerSettings Settings = new JsonSerializerSettings
        {
            ContractResolver = new DefaultContractResolver { NamingStrategy = new CamelCaseNamingStrategy() },
            Converters = { new StringEnumConverter() },
            MissingMemberHandling = MissingMemberHandling.Error,
            MaxDepth = 16,
        };

        public static T LoadEmbedded<T>(string name)
        {
            var assembly = typeof(CatalogJson).GetTypeInfo().Assembly;
            using (var stream = assembly.GetManifestResourceStream("VramPS.Engine.Catalogs." + name))
            using (var reader = new StreamReader(stream!))
            {
                return JsonConvert.DeserializeObject<T>(reader.ReadToEnd(), Settings)!;
            }
        }
    }
}
