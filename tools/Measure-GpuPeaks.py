"""Measures real fine-tuning peaks on this machine's GPU and writes them as validation rows.

Runs a few optimizer steps of transformers' Trainer on a small Llama-architecture model (TinyLlama-1.1B's config,
random weights: memory does not depend on their values, and nothing is downloaded) for Full, LoRA and QLoRA (peft,
bitsandbytes NF4) at a few sequence lengths and micro-batches. Each run is its own process, so the caching allocator
starts empty; the peak statistics are reset after the model is loaded and read after the steps
(torch.cuda.max_memory_allocated and max_memory_reserved). Each run gives two rows, Allocated and Reserved, in the
validation CSV contract (../shared/validation/README.md), on stdout or in --out.

    python3 tools/Measure-GpuPeaks.py --out measured-gpu.csv
    python3 tools/Measure-GpuPeaks.py --list      # the planned runs as rows without a figure; needs no GPU

Without torch or a CUDA GPU it says so on stderr and exits 0 having measured nothing.
"""
import argparse
import csv
import json
import subprocess
import sys

MODEL = "TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T"
# config.json of the model above (https://huggingface.co/TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T).
CONFIG = dict(hidden_size=2048, intermediate_size=5632, num_hidden_layers=22, num_attention_heads=32,
              num_key_value_heads=4, vocab_size=32000, max_position_embeddings=2048, rms_norm_eps=1e-5,
              tie_word_embeddings=False, rope_theta=10000.0)
COLUMNS = ["Id", "Model", "Method", "Precision", "Optimizer", "BatchSize", "SequenceLength", "GradientAccumulation",
           "Checkpointing", "Attention", "LoraRank", "LoraTargets", "Quantization", "GpuCount", "Sharding", "Offload",
           "Techniques", "Framework", "MeasuredGiB", "MeasureKind", "Quality", "Source", "Notes"]
RUNS = [(method, batch, length)
        for method in ("Full", "LoRA", "QLoRA")
        for batch, length in ((1, 512), (2, 1024), (4, 1024), (1, 2048))]
STEPS = 3


def setup(method, batch, length):
    """The contract's columns for one planned run, without its figure."""
    adapter = method != "Full"
    return {
        "Id": f"gpu-tinyllama-{method.lower()}-b{batch}-s{length}",
        "Model": MODEL,
        "Method": method,
        # Full: fp32 weights and AdamW states with bf16 autocast; LoRA/QLoRA: bf16 base, fp32 adapters (peft).
        "Precision": "Bf16" if adapter else "Bf16Mixed",
        "Optimizer": "AdamW",
        "BatchSize": str(batch),
        "SequenceLength": str(length),
        "GradientAccumulation": "1",
        "Checkpointing": "None",
        "Attention": "Sdpa",
        "LoraRank": "8" if adapter else "",
        "LoraTargets": "q_proj,v_proj" if adapter else "",
        "Quantization": "NF4" if method == "QLoRA" else "",
        "GpuCount": "1",
        "Sharding": "None",
        "Offload": "None",
        "Techniques": "",
        "Framework": "HF-Trainer",
    }


def measure(method, batch, length):
    """One run in this process: returns (allocated, reserved, versions) in bytes."""
    import torch
    import transformers
    from transformers import LlamaConfig, LlamaForCausalLM, Trainer, TrainingArguments

    adapter = method != "Full"
    config = LlamaConfig(**CONFIG, attn_implementation="sdpa")
    if method == "QLoRA":
        import bitsandbytes  # noqa: F401  (fails early and clearly where it is missing)
        from transformers import BitsAndBytesConfig
        quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.bfloat16)
        # from_pretrained quantizes as it loads; a random model is saved once to a temporary folder to load from.
        import tempfile
        folder = tempfile.mkdtemp()
        LlamaForCausalLM(config).to(torch.bfloat16).save_pretrained(folder)
        model = LlamaForCausalLM.from_pretrained(folder, quantization_config=quant, torch_dtype=torch.bfloat16,
                                                 device_map={"": 0})
    else:
        model = LlamaForCausalLM(config).to(torch.bfloat16 if adapter else torch.float32).cuda()
    if adapter:
        import peft
        if method == "QLoRA":
            model = peft.prepare_model_for_kbit_training(model, use_gradient_checkpointing=False)
        model = peft.get_peft_model(model, peft.LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"],
                                                           lora_dropout=0.05, task_type="CAUSAL_LM"))

    class Tokens(torch.utils.data.Dataset):
        def __len__(self):
            return batch * STEPS

        def __getitem__(self, i):
            ids = torch.randint(0, CONFIG["vocab_size"], (length,))
            return {"input_ids": ids, "labels": ids.clone(), "attention_mask": torch.ones_like(ids)}

    args = TrainingArguments(output_dir="/tmp/measure-gpu-peaks", per_device_train_batch_size=batch, max_steps=STEPS,
                             bf16=True, optim="adamw_torch", gradient_checkpointing=False, report_to=[],
                             save_strategy="no", logging_strategy="no", dataloader_num_workers=0,
                             remove_unused_columns=False)
    trainer = Trainer(model=model, args=args, train_dataset=Tokens())
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    trainer.train()
    torch.cuda.synchronize()
    versions = {"torch": torch.__version__, "transformers": transformers.__version__,
                "gpu": torch.cuda.get_device_name(0)}
    if adapter:
        import peft
        versions["peft"] = peft.__version__
    return torch.cuda.max_memory_allocated(), torch.cuda.max_memory_reserved(), versions


def rows_of(run, allocated, reserved, versions):
    stack = ", ".join(f"{k} {v}" for k, v in versions.items() if k != "gpu")
    base = setup(*run)
    notes = (f"{STEPS} steps of transformers' Trainer on random fixed-length tokens (no padding), random weights with "
             f"the model's config; peak statistics reset after loading; {stack}")
    out = []
    for kind, figure in (("Allocated", allocated), ("Reserved", reserved)):
        row = dict(base)
        row["Id"] = f"{base['Id']}-{kind.lower()}"
        row.update(MeasuredGiB=f"{figure / 2**30:.3f}", MeasureKind=kind, Quality="Measured",
                   Source=f"tools/Measure-GpuPeaks.py on {versions['gpu']}", Notes=notes)
        out.append(row)
    return out


def cuda_missing():
    """Why nothing can be measured here, or None."""
    try:
        import torch
    except ImportError:
        return "torch is not installed"
    if not torch.cuda.is_available():
        return "no CUDA GPU is visible to torch"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="CSV file to write (default: stdout)")
    parser.add_argument("--list", action="store_true", help="print the planned runs without measuring")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        method, batch, length = json.loads(args.one)
        allocated, reserved, versions = measure(method, batch, length)
        print(json.dumps([allocated, reserved, versions]))
        return 0

    why = None if args.list else cuda_missing()
    if why:
        print(f"Measure-GpuPeaks: {why}; nothing measured.", file=sys.stderr)
        return 0
    out = open(args.out, "w", newline="") if args.out else sys.stdout
    writer = csv.DictWriter(out, fieldnames=COLUMNS, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writeheader()
    if args.list:
        for run in RUNS:
            writer.writerow({**{c: "" for c in COLUMNS}, **setup(*run)})
        return 0
    for run in RUNS:
        done = subprocess.run([sys.executable, __file__, "--one", json.dumps(run)], capture_output=True, text=True)
        if done.returncode != 0:
            print(f"Measure-GpuPeaks: {setup(*run)['Id']} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        allocated, reserved, versions = json.loads(done.stdout.strip().splitlines()[-1])
        for row in rows_of(run, allocated, reserved, versions):
            writer.writerow(row)
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
