"""The public disclosure site (Streamlit): ``streamlit run dashboard/app.py``. It reads the event index that
``python -m indexer sync --follow`` keeps, the pipeline's aggregate reports, and (to verify) the chain node
and IPFS; it never holds a key."""
