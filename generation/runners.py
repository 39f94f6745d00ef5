def run(job_id):
    from generation import services

    services.claim(job_id)
