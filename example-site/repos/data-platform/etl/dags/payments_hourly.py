from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

with DAG(
    dag_id="payments_hourly",
    schedule="15 * * * *",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
) as dag:
    load = BashOperator(task_id="load_payment_events", bash_command="bw-etl load payments.events.v1")
    transform = BashOperator(task_id="dbt_run", bash_command="dbt run --select tag:payments")
    load >> transform
