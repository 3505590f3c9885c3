package com.brightwave.orders

enum class OrderStatus { PENDING_PAYMENT, PAID, FULFILLED, CANCELLED }
