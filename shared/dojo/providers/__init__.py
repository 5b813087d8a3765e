"""Providers of outside services (LLM, embeddings, Vapi): real ones and offline stand-ins."""
