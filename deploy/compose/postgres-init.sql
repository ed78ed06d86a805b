CREATE DATABASE byok_config;
CREATE DATABASE byok_data;
