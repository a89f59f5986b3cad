namespace VramPS.Engine.Models
{
    /// <summary>
    /// The audio encoder Gemma 4's E2B and E4B carry (a config.json's audio_config; transformers models/gemma4
    /// Gemma4AudioModel, a Universal Speech Model conformer, and its Gemma4MultimodalEmbedder embed_audio). from_pretrained
    /// builds and loads it with the rest of the model, so it holds GPU memory even when no audio is trained on.
    /// </summary>
    public sealed partial class ModelArchitecture
    {
        /// <summary>Conformer blocks (audio_config num_hidden_layers); 0: no audio encoder.</summary>
        public int AudioLayers { get; internal set { field = value; _derived = null; } }
        /// <summary>Conformer width (audio_config hidden_size).</summary>
        public int AudioHiddenSize { get; internal set { field = value; _derived = null; } }
        /// <summary>Attention heads (audio_config num_attention_heads); per_dim_scale has one weight per head dimension.</summary>
        public int AudioHeads { get; internal set { field = value; _derived = null; } }
        /// <summary>Channels of the two subsampling convolutions (audio_config subsampling_conv_channels).</summary>
        public int AudioConvChannels1 { get; internal set { field = value; _derived = null; } }
        public int AudioConvChannels2 { get; internal set { field = value; _derived = null; } }
        /// <summary>Taps of the light convolution's depthwise filter (audio_config conv_kernel_size).</summary>
        public int AudioConvKernel { get; internal set { field = value; _derived = null; } }
        /// <summary>Width of output_proj, which embed_audio projects to the hidden size (audio_config output_proj_dims; 12B audio_embed_dim).</summary>
        public int AudioOutputSize { get; internal set { field = value; _derived = null; } }

        /// <summary>An audio encoder, or Gemma 4 12B's embed_audio alone (audioOutputSize: its audio_embed_dim features, no encoder).</summary>
        public bool HasAudio => AudioLayers > 0 || AudioOutputSize > 0;

        /// <summary>The audio encoder and embed_audio, 0 without either.</summary>
        public long AudioParameters => HasAudio ? AudioTower.Parameters(this) : 0;

        /// <summary>The audio encoder's and embed_audio's nn.Linear weights (what bitsandbytes quantizes).</summary>
        public long AudioLinearWeights => HasAudio ? AudioTower.LinearWeights(this) : 0;
    }
}
