from fastapi import FastAPI

app = FastAPI(title="fraud-scoring-service")


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
