"""The city's 五个一 are kept by the city's and the counties' staff in the application, audited there;
the admin holds nothing of them (the system administrator keeps the cities themselves, in villages)."""
