namespace VramPS.Engine.Models
{
    /// <summary>
    /// The vision encoder a multimodal checkpoint carries, with the projector and image processor that come with it:
    /// each family fixes its block layout, its embeddings, its projector and how its processor turns an image into tokens.
    /// </summary>
    public enum VisionEncoderKind
    {
        /// <summary>A text-only model.</summary>
        None,
        /// <summary>
        /// CLIP ViT (LLaVA-1.5): class token, learned positions, pre- and post-LayerNorm, q/k/v/out_proj and fc1/fc2 with
        /// biases; a two-layer GELU MLP projector (linear_1, linear_2); images resized to one square tile.
        /// </summary>
        Clip,
        /// <summary>
        /// SigLIP ViT (Gemma 3): learned positions, post-LayerNorm, q/k/v/out_proj and fc1/fc2 with biases; the projector
        /// average-pools the patches to a fixed count, then an RMSNorm and one bias-free linear; images resized to one square.
        /// </summary>
        Siglip,
        /// <summary>
        /// Qwen2-VL's ViT: a 3D patch embedding (2 frames), rotary positions, LayerNorm, fused qkv and proj, fc1/fc2; a
        /// merger (LayerNorm, then a two-layer MLP over each 2x2 group of patches); images at native resolution (smart_resize).
        /// </summary>
        Qwen2Vl,
        /// <summary>
        /// Qwen2.5-VL's ViT: as Qwen2-VL's with RMSNorm, a gated MLP (gate/up/down_proj with biases) and windowed attention
        /// in all but a few full-attention blocks.
        /// </summary>
        Qwen25Vl,
        /// <summary>
        /// Pixtral's ViT (Mistral 3, Ministral 3): a bias-free patch convolution and ln_pre, 2D rotary positions, RMSNorm,
        /// bias-free q/k/v/o_proj and a gated MLP (gate/up/down_proj); a projector of an RMSNorm, a 2x2 patch merger
        /// (merging_layer) and two bias-free linears; images at native resolution up to visionImageSize on the longer side.
        /// </summary>
        Pixtral,
        /// <summary>
        /// Llama 3.2 Vision's ViT (Mllama): bias-free q/k/v/o_proj, fc1/fc2 with biases, LayerNorm; a class token, gated
        /// position and tile embeddings, local blocks then gated global blocks; every image is cut into up to
        /// visionMaxTiles tiles of visionImageSize px and padded to all of them; the projector maps the concatenated
        /// outputs of visionFeatureLayers blocks to the language model, whose cross-attention layers read them (one
        /// image token in the sequence).
        /// </summary>
        Mllama,
        /// <summary>
        /// Qwen3-VL's ViT (Qwen3.5): a 3D patch embedding with a bias, a learned position table (visionPositionEmbeddings,
        /// interpolated), LayerNorm, fused qkv and proj, linear_fc1/linear_fc2, all with biases; a merger (LayerNorm, then
        /// linear_fc1 and linear_fc2 over each 2x2 group of patches); images at native resolution (smart_resize within
        /// visionMinPixels and visionMaxPixels).
        /// </summary>
        Qwen3Vl,
        /// <summary>
        /// SigLIP2 NaFlex (LFM2-VL): a linear patch embedding, a learned position table (visionPositionEmbeddings,
        /// resized to the image's patch grid), post-LayerNorm, q/k/v/out_proj and fc1/fc2 with biases; a projector that
        /// unshuffles each 2x2 group of patches (visionSpatialMerge) into linear_1 (visionProjectorHiddenSize) and linear_2,
        /// with biases; images smart-resized within visionMinPixels and visionMaxPixels, larger ones cut into 512-px tiles
        /// and a thumbnail.
        /// </summary>
        Siglip2NaFlex,
        /// <summary>
        /// PaddleOCR-VL's SigLIP NaViT (Keye-VL's SiglipVisionModel): a patch convolution with a bias, a learned
        /// (visionImageSize / patch)^2 position table and a packing position table of visionPositionEmbeddings rows,
        /// post-LayerNorm and the (unused) attention-pooling head, SigLIP blocks; a projector (mlp_AR) of a LayerNorm,
        /// linear_1 over each 2x2 group of patches and linear_2, with biases; images smart-resized within visionMinPixels
        /// and visionMaxPixels.
        /// </summary>
        SiglipNaVit,
        /// <summary>
        /// Gemma 4's ViT (Gemma4VisionModel): a bias-free linear patch embedding and a 2 x visionPositionEmbeddings x d
        /// position table (one row set per axis), 2D rotary positions, bias-free q/k/v/o_proj with per-head q/k norms, a
        /// gated MLP (gate/up/down_proj) and four RMSNorms per block; the pooler averages visionSpatialMerge^2 patches into a
        /// soft token, and embed_vision (a weightless RMSNorm and a bias-free linear) projects it; images resized keeping
        /// their aspect ratio to at most visionTokensPerImage x visionSpatialMerge^2 patches, the encoder running over all
        /// of them padded (image_processing_gemma4.py).
        /// </summary>
        Gemma4Vit,
        /// <summary>
        /// Gemma 4 12B's encoder-free embedder (Gemma4UnifiedVisionEmbedder): each (patch x visionSpatialMerge)-pixel
        /// patch through a LayerNorm, a linear with a bias to visionHiddenSize (mm_embed_dim) and a LayerNorm, plus a
        /// visionPositionEmbeddings x 2 x d position table and a LayerNorm; embed_vision as Gemma4Vit's. No blocks
        /// (visionLayers 0); images resized as Gemma4Vit's, one token per merged patch.
        /// </summary>
        Gemma4Unified,
        /// <summary>
        /// DeepSeek-OCR-2's DeepEncoder V2: SAM ViT-B at 1024 px (patch 16, 12 blocks of 768 with relative positions,
        /// windows of 14 but blocks 2, 5, 8 and 11, its neck and two stride-2 convolutions to visionHiddenSize), then a
        /// Qwen2-0.5B decoder used as encoder (visionLayers blocks of visionHiddenSize, visionKvHeads KV heads, biased
        /// q/k/v_proj, o_proj and gate/up/down_proj, RMSNorm) over the 256 compressed patches and as many learned queries
        /// (144 more for 768-px crops), a linear projector and a view separator; one 1024-px global view per image (256
        /// tokens and the separator).
        /// </summary>
        DeepEncoderV2,
        /// <summary>
        /// ERNIE-4.5-VL's DFN ViT: a bias-free linear patch embedding, Qwen2-VL's blocks (LayerNorm, qkv, proj, fc1, fc2 with
        /// biases) and a final LayerNorm; the variable-resolution resampler (spatial and temporal two-layer MLPs over each
        /// 2x2 group with LayerNorms, a linear to the language model and an RMSNorm); images smart-resized as Qwen2-VL's.
        /// </summary>
        ErnieVl,
    }

    /// <summary>Whether the vision encoder (tower and projector) trains.</summary>
    public enum VisionTraining
    {
        /// <summary>No vision parameter requires grad: the tower runs forward only and saves nothing for backward.</summary>
        Frozen,
        /// <summary>The tower trains: all of it under Full, LoRA on its linears under LoRA and QLoRA.</summary>
        Trained,
    }
}
